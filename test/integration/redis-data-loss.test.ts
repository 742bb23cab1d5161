import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createJwtCodec } from '../../src/auth/jwt.js';
import type { Config } from '../../src/config/schema.js';
import { dropDatabase, migrate } from '../../src/infra/db.js';
import { createLogger } from '../../src/infra/logger.js';
import { startServer, type RunningServer } from '../../src/runtime/serve.js';
import { ActivityService } from '../../src/seckill/activity.js';
import { startConsumer, type RunningConsumer } from '../../src/seckill/consumer/start.js';
import { activityKeys } from '../../src/seckill/keys.js';
import { SeckillRepository } from '../../src/seckill/repository.js';
import { Api } from '../support/api.js';
import { testConfig } from '../support/config.js';
import { OwnRedis } from '../support/own-redis.js';
import { deleteBrokerNames } from '../support/rabbit.js';
import { waitFor } from '../support/wait.js';

// Redis restarted empty mid-sale, on a redis-server of this file's own: the activity stops
// selling (503 BUSY, not 404), every 202 still becomes an order, and once the queue has
// drained the consumer rebuilds the activity from MySQL, says so, and sales resume with
// the right stock.
const STOCK = 50;
let redis: OwnRedis;
let config: Config;
let server: RunningServer;
let consumer: RunningConsumer | undefined;
let api: Api;
let productId: number;
let tokens: string[];

before(async () => {
  redis = await OwnRedis.start();
  config = testConfig({ redis: { port: redis.port }, ratelimit: { enabled: false } });
  await migrate(config.database);
  server = await startServer(config, createLogger({ level: 'silent' }));
  api = new Api(`http://127.0.0.1:${server.port}`);
  const db = server.infra.db;
  const [id] = await db('products').insert({ name: 'flash item', price: '9.90', stock: 0 });
  productId = Number(id);
  await new ActivityService({
    db,
    redis: server.infra.redis,
    keyPrefix: config.redis.key_prefix,
    repository: new SeckillRepository(db),
  }).init({ product_id: productId, stock: STOCK, limit_per_user: 1 });
  const tag = Math.random().toString(36).slice(2, 8);
  await db('users').insert(
    Array.from({ length: 30 }, (_, i) => ({
      username: `l_${tag}_${i}`,
      password_hash: 'x',
      role: 'user',
    })),
  );
  const ids = (await db('users')
    .select('id')
    .where('username', 'like', `l\\_${tag}\\_%`)) as Array<{
    id: number;
  }>;
  const jwt = createJwtCodec(config.jwt);
  tokens = ids.map((row) => jwt.sign({ id: Number(row.id), role: 'user' }).token);
});

after(async () => {
  await consumer?.stop();
  await server?.stop();
  await redis?.stop();
  if (config) {
    await deleteBrokerNames(config).catch(() => undefined);
    await dropDatabase(config.database);
  }
});

const buy = (token: string) => api.post('/api/seckill', { product_id: productId }, { token });

async function orderNos(): Promise<Set<string>> {
  const rows = (await server.infra
    .db('orders as o')
    .join('seckill_activities as a', 'a.id', 'o.activity_id')
    .select('o.order_no')
    .where('a.product_id', productId)) as Array<{ order_no: string }>;
  return new Set(rows.map((r) => r.order_no));
}

test(
  'Redis restarted empty: 503 BUSY (not 404) until rebuilt after the drain; every 202 an order; the loss is logged and counted',
  { timeout: 120_000 },
  async () => {
    // Ten reservations wait in the queue (no consumer yet) when Redis loses everything.
    const accepted: string[] = [];
    for (const token of tokens.slice(0, 10)) {
      const res = await buy(token);
      assert.equal(res.status, 202, res.text);
      accepted.push((res.body.data as { order_no: string }).order_no);
    }
    await redis.kill();
    await redis.wipe();
    await redis.up();

    // The activity is gone from Redis but open in MySQL: the buyer is told to retry, not 404.
    const refused = await waitFor(
      async () => {
        const res = await buy(tokens[10]!);
        return res.status === 503 ? res : null;
      },
      15_000,
      'a 503 after the restart',
    );
    assert.equal(refused.body.reason, 'BUSY');

    consumer = await startConsumer(config, createLogger({ level: 'silent' }));
    // Every 202 becomes an order, recovered from its message (its pending record is gone).
    await waitFor(
      async () => {
        const made = await orderNos();
        return accepted.every((orderNo) => made.has(orderNo));
      },
      30_000,
      'every 202 to become an order',
    );
    // Once the queue has drained the activity is rebuilt from MySQL and sells again.
    const res = await waitFor(
      async () => {
        const answer = await buy(tokens[11]!);
        return answer.status === 202 ? answer : null;
      },
      30_000,
      'sales to resume',
    );
    assert.equal(res.status, 202);
    const keys = activityKeys(config.redis.key_prefix, productId);
    // Stock rebuilt from MySQL: the ten sold before the loss are not for sale again.
    assert.equal(Number(await server.infra.redis.get(keys.stock)), STOCK - 11);
    // A buyer of before the loss is still held to the limit (slots rebuilt from the orders).
    assert.equal((await buy(tokens[0]!)).status, 409);
    const metrics = await consumer.registry.metrics();
    assert.match(metrics, /seckill_activities_lost_total 1\b/);
    assert.match(metrics, /seckill_activities_rebuilt_total 1\b/);
  },
);
