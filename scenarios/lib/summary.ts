// What every scenario shares at the end of a run: the thresholds a sale must meet and the
// summary file gomall reads (GOMALL_SUMMARY; summary.json when run by hand under k6).

export const thresholds = {
  http_req_failed: ['rate<0.01'],
  http_req_duration: ['p(99)<500'],
  checks: ['rate>0.99'],
};

export const summaryTrendStats = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];

export function handleSummary(data: object): Record<string, string> {
  return { [__ENV.GOMALL_SUMMARY || 'summary.json']: JSON.stringify(data) };
}
