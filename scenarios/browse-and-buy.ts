// Ordinary shopping: list products, open one, add it to the cart, order from the cart, with a
// think time between steps (THINK_TIME seconds on average, default 1). Runs for a duration by
// default (constant-vus), each iteration as the next buyer.
//
// `await sleep(...)`: under k6 sleep blocks and the await is a no-op; gomall's engine runs VUs
// on one event loop, where sleep returns a promise that must be awaited to pause the VU.
import http from 'k6/http';
import type { Response } from 'k6/http';
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import { baseUrl, buyerFor, products } from './lib/gomall-data.ts';
import { scenarioFromEnv } from './lib/scenario-from-env.ts';
import { handleSummary, summaryTrendStats, thresholds } from './lib/summary.ts';

// 409: the product ran out between the listing and the order, a normal answer.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 409));

const ordersCreated = new Counter('orders_created');
const ordersRefused = new Counter('orders_refused');
const orderDuration = new Trend('order_duration', true);

const thinkTime = Number(__ENV.THINK_TIME || '1');

export const options: Options = {
  scenarios: {
    browse_and_buy: scenarioFromEnv({
      executor: 'constant-vus',
      vus: 20,
      iterations: 100,
      duration: '30s',
      rate: 20,
    }),
  },
  thresholds,
  summaryTrendStats,
};

export default async function (): Promise<void> {
  const buyer = buyerFor(exec.scenario.iterationInTest);
  const json = { Authorization: `Bearer ${buyer.token}`, 'Content-Type': 'application/json' };

  const list = await http.asyncRequest('GET', `${baseUrl}/api/product?page=1&page_size=20`, null, {
    tags: { name: 'GET /api/product' },
  });
  check(list, { 'product list answered 200': (r) => r.status === 200 });
  const productId = pickProduct(list);
  await sleep(think());

  const detail = await http.asyncRequest('GET', `${baseUrl}/api/product/${productId}`, null, {
    tags: { name: 'GET /api/product/:id' },
  });
  check(detail, { 'product detail answered 200': (r) => r.status === 200 });
  await sleep(think());

  const cart = await http.asyncRequest(
    'POST',
    `${baseUrl}/api/cart`,
    JSON.stringify({ product_id: productId, quantity: 1 }),
    {
      headers: json,
      tags: { name: 'POST /api/cart' },
    },
  );
  check(cart, { 'added to the cart': (r) => r.status === 200 || r.status === 201 });
  await sleep(think());

  const order = await http.asyncRequest(
    'POST',
    `${baseUrl}/api/order`,
    JSON.stringify({ from_cart: true }),
    {
      headers: json,
      tags: { name: 'POST /api/order' },
    },
  );
  orderDuration.add(order.timings.duration);
  if (order.status === 201) ordersCreated.add(1);
  else if (order.status === 409) ordersRefused.add(1);
  check(order, {
    'order created (201) or refused for stock (409)': (r) => r.status === 201 || r.status === 409,
  });
  await sleep(think());
}

/** A product id from the listing, or from the data file if the listing gave none. */
function pickProduct(list: Response): number {
  try {
    const body = list.json() as { data?: { items?: Array<{ id?: unknown }> } } | null;
    const items = body?.data?.items ?? [];
    const id = items[Math.floor(Math.random() * items.length)]?.id;
    if (typeof id === 'number') return id;
  } catch {
    // not JSON: fall back to the data file
  }
  return products[Math.floor(Math.random() * products.length)] as number;
}

/** Think time around THINK_TIME seconds (±50 %), so VUs do not move in lockstep. */
function think(): number {
  return thinkTime * (0.5 + Math.random());
}

export { handleSummary };
