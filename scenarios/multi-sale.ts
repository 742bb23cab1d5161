// Several flash sales at once: every product of the data file is an activity, and the buyers
// are spread over them (the n-th buyer goes to the (n mod products)-th activity), one attempt
// each by default. Outcome counters are tagged with the product.
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { baseUrl, buyerFor, buyers, products } from './lib/gomall-data.ts';
import { scenarioFromEnv } from './lib/scenario-from-env.ts';
import { recordSeckill } from './lib/seckill-outcome.ts';

http.setResponseCallback(http.expectedStatuses(202, 409, 429));

export const options: Options = {
  scenarios: {
    multi_sale: scenarioFromEnv({
      executor: 'shared-iterations',
      vus: 100,
      iterations: buyers.length,
      duration: '30s',
      rate: 500,
    }),
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    http_req_duration: ['p(99)<500'],
    checks: ['rate>0.99'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

export default async function (): Promise<void> {
  const n = exec.scenario.iterationInTest;
  const buyer = buyerFor(n);
  const productId = products[n % products.length] as number;
  const res = await http.asyncRequest(
    'POST',
    `${baseUrl}/api/seckill`,
    JSON.stringify({ product_id: productId }),
    {
      headers: { Authorization: `Bearer ${buyer.token}`, 'Content-Type': 'application/json' },
      tags: { name: 'POST /api/seckill' },
    },
  );
  const outcome = recordSeckill(res, productId);
  check(res, {
    'seckill answered 202, 409, 429 or 503 with a known reason': () => outcome !== 'other',
  });
}

export function handleSummary(data: object): Record<string, string> {
  return { [__ENV.GOMALL_SUMMARY || 'summary.json']: JSON.stringify(data) };
}
