// Flash sale: buyers rush one activity. Each iteration is one buyer (the n-th iteration of the
// test takes the n-th buyer) sending one POST /api/seckill for the first product of the data
// file. By default every buyer tries exactly once (shared-iterations, one iteration per buyer).
//
//   k6 run -e GOMALL_DATA=/abs/path/data.json scenarios/flash-sale.ts
//   (gomall bench runs it with its built-in engine when k6 is not installed)
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { baseUrl, buyerFor, buyers, products } from './lib/gomall-data.ts';
import { scenarioFromEnv } from './lib/scenario-from-env.ts';
import { recordSeckill } from './lib/seckill-outcome.ts';

// Sold out, already purchased and rate limited are answers a flash sale must give under a rush;
// 503 BUSY and anything else count in http_req_failed.
http.setResponseCallback(http.expectedStatuses(202, 409, 429));

const productId = products[0] as number;

export const options: Options = {
  scenarios: {
    flash_sale: scenarioFromEnv({
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
  const buyer = buyerFor(exec.scenario.iterationInTest);
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
