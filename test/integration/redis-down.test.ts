import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createJwtCodec } from '../../src/auth/jwt.js';
import type { Config } from '../../src/config/schema.js';
import { dropDatabase, migrate } from '../../src/infra/db.js';
import { createLogger } from '../../src/infra/logger.js';
import { ActivityService } from '../../src/seckill/activity.js';
import { SeckillRepository } from '../../src/seckill/repository.js';
import { startServer, type RunningServer } from '../../src/runtime/serve.js';
import { Api } from '../support/api.js';
import { testConfig } from '../support/config.js';
import { OwnRedis } from '../support/own-redis.js';
import { deleteBrokerNames } from '../support/rabbit.js';
import { waitFor } from '../support/wait.js';

// serve against a redis-server of this file's own, which the tests stop, hang and restart:
// buys (and the other routes that need Redis) answer 503 BUSY while it is away instead of
// being held until it is back, and the sale resumes by itself when it returns.
let redis: OwnRedis;
let config: Config;
let server: RunningServer;
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
  }).init({ product_id: productId, stock: 100, limit_per_user: 1 });
  const jwt = createJwtCodec(config.jwt);
  tokens = Array.from({ length: 20 }, (_, i) => jwt.sign({ id: 1000 + i, role: 'user' }).token);
});

after(async () => {
  await server?.stop();
  await redis?.stop();
  if (config) {
    await deleteBrokerNames(config).catch(() => undefined);
    await dropDatabase(config.database);
  }
});

const accepted: string[] = [];
const buy = async (token: string) => {
  const res = await api.post('/api/seckill', { product_id: productId }, { token });
  if (res.status === 202) accepted.push((res.body.data as { order_no: string }).order_no);
  return res;
};

test(
  'a hung Redis (stopped, connections open): buys answer 503 BUSY, not held until it wakes',
  { timeout: 60_000 },
  async () => {
    assert.equal((await buy(tokens[0]!)).status, 202);
    redis.pause();
    try {
      // Before the fix these waited for as long as Redis was stopped.
      const answers = await Promise.all([buy(tokens[1]!), buy(tokens[2]!)]);
      for (const res of answers) {
        assert.equal(res.status, 503, res.text);
        assert.equal(res.body.reason, 'BUSY');
      }
    } finally {
      redis.resume();
    }
    await waitFor(async () => (await buy(tokens[3]!)).status === 202, 10_000, 'a 202 after resume');
  },
);

test(
  'Redis killed: buys and a Redis-backed read are 503 BUSY while it is down; sales resume after',
  { timeout: 60_000 },
  async () => {
    await redis.kill();
    const answers = await Promise.all([buy(tokens[4]!), buy(tokens[5]!), buy(tokens[6]!)]);
    for (const res of answers) {
      assert.equal(res.status, 503, res.text);
      assert.equal(res.body.reason, 'BUSY');
    }
    // An express route that reads Redis: 503 BUSY too, not a 500 after the client's retries.
    const result = await fetch(`${api.baseUrl}/api/seckill/result?product_id=${productId}`, {
      headers: { authorization: `Bearer ${tokens[4]!}` },
    });
    assert.equal(result.status, 503);
    assert.equal(((await result.json()) as { reason: string }).reason, 'BUSY');
    await redis.up();
    await waitFor(
      async () => (await buy(tokens[7]!)).status === 202,
      15_000,
      'a 202 after restart',
    );
    // The AOF kept every accepted reservation in the outbox (no consumer runs here). A buy
    // answered 503 by the hung Redis's timeout may still have been reserved once it woke:
    // never lost, only not confirmed to the buyer (a retry with its Idempotency-Key says so).
    // The server's main client fails fast too, and may reconnect a moment after the hot one.
    const outbox = await waitFor(
      () =>
        server.infra.redis
          .hkeys(`${config.redis.key_prefix}seckill:{${productId}}:pending`)
          .catch(() => null),
      15_000,
      "the server's main Redis client back",
    );
    assert.equal(accepted.length, 3);
    for (const orderNo of accepted) assert.ok(outbox.includes(orderNo), orderNo);
  },
);
