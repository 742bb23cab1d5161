import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import amqp from 'amqplib';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/infra/logger.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { amqpUrl, MqConnection } from '../../src/infra/mq.js';
import { listen, portOf, shutdown } from '../../src/runtime/http-server.js';
import { startConsumer, type RunningConsumer } from '../../src/seckill/consumer/start.js';
import { activityKeys } from '../../src/seckill/keys.js';
import { createSeckill } from '../../src/seckill/module.js';
import { seckillNames } from '../../src/seckill/topology.js';
import { Api, type ApiResponse } from '../support/api.js';
import { startHarness, type Harness } from '../support/harness.js';
import { drained, makeBuyers, makeProduct, redisStock, seckillOrders } from '../support/seckill.js';
import { waitFor } from '../support/wait.js';

let h: Harness;
let consumer: RunningConsumer;
let admin: { token: string };

before(async () => {
  h = await startHarness({
    ratelimit: { enabled: false },
    rabbitmq: { confirm_timeout_ms: 1000 },
    seckill: { outbox_limit: 10, sweeper_interval_ms: 100, pending_max_age_ms: 300 },
  });
  consumer = await startConsumer(h.config, createLogger({ level: 'silent' }));
  admin = await h.newAdmin();
});
after(async () => {
  await consumer?.stop();
  await h?.close();
});

async function sale(stock: number): Promise<number> {
  const productId = await makeProduct(h);
  await h.api.post('/api/seckill/init', { product_id: productId, stock }, { token: admin.token });
  return productId;
}

/**
 * Every 202 must become exactly one order once the broker is back; every 503 must have left
 * stock and the buyer set as they were.
 */
async function checkOutcome(
  productId: number,
  stock: number,
  answers: Array<{ user: number; res: ApiResponse<any> }>,
) {
  for (const { res } of answers)
    assert.ok([202, 503].includes(res.status), `unexpected ${res.status} ${res.text}`);
  const accepted = answers.filter((a) => a.res.status === 202);
  const busy = answers.filter((a) => a.res.status === 503);
  for (const a of busy) assert.equal(a.res.body.reason, 'BUSY');
  await drained(h, productId, 15_000);
  const orders = await seckillOrders(h, productId);
  assert.deepEqual(
    new Set(orders.map((o) => o.order_no)),
    new Set(accepted.map((a) => a.res.body.data.order_no)),
  );
  assert.equal(orders.length, accepted.length);
  assert.equal(await redisStock(h, productId), stock - accepted.length);
  const buyers = await h.infra.redis.hgetall(
    activityKeys(h.config.redis.key_prefix, productId).buyers,
  );
  for (const a of busy) assert.equal(buyers[String(a.user)], undefined, 'a 503 left a buyer slot');
  for (const a of accepted) assert.equal(buyers[String(a.user)], '1');
  return { accepted: accepted.length, busy: busy.length };
}

test('broker unreachable: the outbox takes outbox_limit reservations, then 503 with nothing changed; the 202s become orders', async () => {
  const productId = await sale(100);
  // An instance whose broker is a closed port: never connected, so every publish is refused.
  const deadMq = new MqConnection({
    rabbitmq: { ...h.config.rabbitmq, port: 1 },
    logger: createLogger({ level: 'silent' }),
  });
  const deps = { ...h.deps, mq: deadMq, metrics: createMetrics() };
  const seckill = await createSeckill(deps);
  const server = await listen(seckill.front(createApp({ ...deps, seckill })), '127.0.0.1', 0);
  try {
    const api = new Api(`http://127.0.0.1:${portOf(server)}`);
    const buyers = await makeBuyers(h, 40);
    const answers = [];
    for (const b of buyers)
      answers.push({
        user: b.id,
        res: await api.post('/api/seckill', { product_id: productId }, { token: b.token }),
      });
    // The sweeper of the consumer, connected to the real broker, publishes the outbox.
    const { accepted, busy } = await checkOutcome(productId, 100, answers);
    // 10 at once, and more whenever the sweeper has published part of the outbox meanwhile.
    assert.ok(accepted >= 10 && busy > 0, `accepted ${accepted}, busy ${busy}`);
    assert.equal(accepted + busy, 40);
  } finally {
    await shutdown(server, 1000);
    await seckill.close();
    await deadMq.close();
  }
});

test('the exchange is deleted during the sale: every 202 becomes an order, every 503 left nothing behind', async () => {
  const productId = await sale(300);
  const buyers = await makeBuyers(h, 300);
  const connection = await amqp.connect(amqpUrl(h.config.rabbitmq));
  const channel = await connection.createChannel();
  let deleting = true;
  // Delete it again and again while the sale runs: each reconnect declares it anew.
  const vandal = (async () => {
    while (deleting) {
      await channel.deleteExchange(seckillNames(h.config).exchange);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  })();
  let answers: Array<{ user: number; res: ApiResponse<any> }>;
  try {
    answers = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < buyers.length) {
          const b = buyers[next++]!;
          answers.push({
            user: b.id,
            res: await h.api.post('/api/seckill', { product_id: productId }, { token: b.token }),
          });
        }
      }),
    );
  } finally {
    deleting = false;
    await vandal;
    await connection.close();
  }
  // Let the app's connection come back so the exchange exists again for good.
  await waitFor(async () => h.infra.mq.isOpen(), 5000, 'the broker connection');
  const { accepted } = await checkOutcome(productId, 300, answers);
  assert.ok(accepted > 0);
});
