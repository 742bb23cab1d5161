import type { Harness } from './harness.js';
import { activityKeys } from '../../src/seckill/keys.js';
import { waitFor } from './wait.js';

/** A product straight in the database; returns its id. */
export async function makeProduct(
  h: Harness,
  price = '9.90',
  name = 'flash item',
): Promise<number> {
  const [id] = await h.infra.db('products').insert({ name, price, stock: 0 });
  return Number(id);
}

/** `n` users inserted in one statement, each with a token signed by the app's codec. */
export async function makeBuyers(
  h: Harness,
  n: number,
  prefix = 'buyer',
): Promise<Array<{ id: number; token: string }>> {
  const tag = Math.random().toString(36).slice(2, 8);
  const rows = Array.from({ length: n }, (_, i) => ({
    username: `${prefix}_${tag}_${i}`,
    password_hash: 'x',
    role: 'user' as const,
  }));
  for (let i = 0; i < rows.length; i += 1000)
    await h.infra.db('users').insert(rows.slice(i, i + 1000));
  // "_" is a LIKE wildcard too; the random tag keeps other users out all the same.
  const found = (await h.infra
    .db('users')
    .select('id')
    .where('username', 'like', `${prefix}_${tag}_%`)
    .orderBy('id')) as Array<{ id: number }>;
  return found.map((row) => ({
    id: Number(row.id),
    token: h.jwt.sign({ id: Number(row.id), role: 'user' }).token,
  }));
}

/** Runs `fn` over `items` with at most `concurrency` in flight. */
export async function inParallel<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!, i);
      }
    }),
  );
  return results;
}

export async function seckillOrders(
  h: Harness,
  productId: number,
): Promise<Array<{ order_no: string; user_id: number; status: string; buyer_slot: number }>> {
  return (await h.infra
    .db('orders as o')
    .join('seckill_activities as a', 'a.id', 'o.activity_id')
    .select('o.order_no', 'o.user_id', 'o.status', 'o.buyer_slot')
    .where('a.product_id', productId)) as Array<{
    order_no: string;
    user_id: number;
    status: string;
    buyer_slot: number;
  }>;
}

export async function redisStock(h: Harness, productId: number): Promise<number> {
  return Number(await h.infra.redis.get(activityKeys(h.config.redis.key_prefix, productId).stock));
}

export async function mysqlStock(h: Harness, productId: number): Promise<number> {
  const row = (await h.infra
    .db('seckill_activities')
    .select('stock')
    .where({ product_id: productId })
    .first()) as { stock: number };
  return Number(row.stock);
}

/** Waits until no reservation of the activity is pending (every order row made and cleaned up). */
export async function drained(h: Harness, productId: number, timeoutMs = 10_000): Promise<void> {
  const pending = activityKeys(h.config.redis.key_prefix, productId).pending;
  await waitFor(
    async () => (await h.infra.redis.hlen(pending)) === 0,
    timeoutMs,
    `activity ${productId} to drain`,
  );
}
