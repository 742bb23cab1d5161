// Several flash sales at once: every product of the data file is an activity, and the buyers
// are spread over them (the n-th buyer goes to the (n mod products)-th activity), one attempt
// each by default. Outcome counters are tagged with the product.
import http from 'k6/http';
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { buyerFor, buyers, products } from './lib/gomall-data.ts';
import { scenarioFromEnv } from './lib/scenario-from-env.ts';
import { handleSummary, summaryTrendStats, thresholds } from './lib/summary.ts';
import { trySeckill } from './lib/seckill-outcome.ts';

http.setResponseCallback(http.expectedStatuses(201, 202, 409, 429));

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
  thresholds,
  summaryTrendStats,
};

export default async function (): Promise<void> {
  const n = exec.scenario.iterationInTest;
  const buyer = buyerFor(n);
  const productId = products[n % products.length] as number;
  await trySeckill(buyer.token, productId);
}

export { handleSummary };
