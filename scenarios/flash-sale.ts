// Flash sale: buyers rush one activity. Each iteration is one buyer (the n-th iteration of the
// test takes the n-th buyer) sending one POST /api/seckill for the first product of the data
// file. By default every buyer tries exactly once (shared-iterations, one iteration per buyer).
//
//   k6 run -e GOMALL_DATA=/abs/path/data.json scenarios/flash-sale.ts
//   (gomall bench runs it with its built-in engine when k6 is not installed)
import http from 'k6/http';
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { buyerFor, buyers, products } from './lib/gomall-data.ts';
import { scenarioFromEnv } from './lib/scenario-from-env.ts';
import { handleSummary, summaryTrendStats, thresholds } from './lib/summary.ts';
import { trySeckill } from './lib/seckill-outcome.ts';

// Sold out, already purchased and rate limited are answers a flash sale must give under a rush
// (201: the anti-bot token of a sale opened with --anti-bot path);
// 503 BUSY and anything else count in http_req_failed.
http.setResponseCallback(http.expectedStatuses(201, 202, 409, 429));

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
  thresholds,
  summaryTrendStats,
};

export default async function (): Promise<void> {
  const buyer = buyerFor(exec.scenario.iterationInTest);
  await trySeckill(buyer.token, productId);
}

export { handleSummary };
