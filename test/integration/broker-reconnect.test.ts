import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createJwtCodec } from '../../src/auth/jwt.js';
import type { Config } from '../../src/config/schema.js';
import { dropDatabase, migrate } from '../../src/infra/db.js';
import { createLogger } from '../../src/infra/logger.js';
import { startServer, type RunningServer } from '../../src/runtime/serve.js';
import { ActivityService } from '../../src/seckill/activity.js';
import { startConsumer, type RunningConsumer } from '../../src/seckill/consumer/start.js';
import { SeckillRepository } from '../../src/seckill/repository.js';
import { Api } from '../support/api.js';
import { deleteKeys } from '../support/cleanup.js';
import { testConfig } from '../support/config.js';
import { OwnRabbit } from '../support/own-rabbit.js';
import { waitFor } from '../support/wait.js';

// serve and consume against a RabbitMQ node of this file's own, whose app the test stops and
// starts. The sweeper's regular pass is a minute away here, so only the reconnect can
// publish what the outbox took while the broker was away.
let rabbit: OwnRabbit;
let config: Config;
let server: RunningServer;
let consumer: RunningConsumer;
let api: Api;
let productId: number;
let tokens: string[];

before(async () => {
  rabbit = await OwnRabbit.start();
  config = testConfig({
    rabbitmq: { port: rabbit.port },
    ratelimit: { enabled: false },
    seckill: { sweeper_interval_ms: 60_000, pending_max_age_ms: 60_000 },
  });
  await migrate(config.database);
  server = await startServer(
    config,
    createLogger({ level: (process.env.DEBUG_LOG as 'info') ?? 'silent' }),
  );
  consumer = await startConsumer(
    config,
    createLogger({ level: (process.env.DEBUG_LOG as 'info') ?? 'silent' }),
  );
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
  const tag = Math.random().toString(36).slice(2, 8);
  await db('users').insert(
    Array.from({ length: 30 }, (_, i) => ({
      username: `b_${tag}_${i}`,
      password_hash: 'x',
      role: 'user',
    })),
  );
  const ids = (await db('users')
    .select('id')
    .where('username', 'like', `b\\_${tag}\\_%`)) as Array<{
    id: number;
  }>;
  tokens = ids.map((row) => jwt.sign({ id: Number(row.id), role: 'user' }).token);
});

after(async () => {
  await consumer?.stop();
  if (server) {
    await deleteKeys(server.infra.redis, config.redis.key_prefix);
    await server.stop();
  }
  await rabbit?.stop();
  if (config) await dropDatabase(config.database);
});

async function orderNos(): Promise<Set<string>> {
  const rows = (await server.infra
    .db('orders as o')
    .join('seckill_activities as a', 'a.id', 'o.activity_id')
    .select('o.order_no')
    .where('a.product_id', productId)) as Array<{ order_no: string }>;
  return new Set(rows.map((r) => r.order_no));
}

test('reservations taken while the broker was stopped become orders once it is back, without the sweeper pass', async () => {
  await rabbit.ctl('stop_app');
  await waitFor(async () => !server.infra.mq.isOpen(), 20_000, 'serve to see the broker gone');
  const accepted: string[] = [];
  for (const token of tokens.slice(0, 20)) {
    const res = await api.post('/api/seckill', { product_id: productId }, { token });
    assert.ok([202, 503].includes(res.status), res.text);
    if (res.status === 202) accepted.push((res.body.data as { order_no: string }).order_no);
  }
  assert.ok(accepted.length > 0, 'the outbox took reservations while the broker was away');
  await rabbit.ctl('start_app');
  await rabbit.whenServing();
  // The regular pass is 60 s away: only the reconnect (serve's resend, consume's eager
  // sweep) can turn these into orders in time.
  await waitFor(
    async () => {
      const made = await orderNos();
      return accepted.every((orderNo) => made.has(orderNo));
    },
    30_000,
    'every 202 to become an order after the reconnect',
  );
  // And the sale goes on normally.
  const res = await api.post('/api/seckill', { product_id: productId }, { token: tokens[25]! });
  assert.equal(res.status, 202, res.text);
});
