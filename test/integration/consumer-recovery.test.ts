import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { createLogger } from '../../src/infra/logger.js';
import { amqpUrl } from '../../src/infra/mq.js';
import { newOrderNo } from '../../src/order/order-no.js';
import { ReserveCode } from '../../src/seckill/codes.js';
import { startConsumer, type RunningConsumer } from '../../src/seckill/consumer/start.js';
import { activityKeys } from '../../src/seckill/keys.js';
import { scriptsOn } from '../../src/seckill/scripts.js';
import { seckillNames } from '../../src/seckill/topology.js';
import { startHarness, type Harness } from '../support/harness.js';
import { makeBuyers, makeProduct, redisStock, seckillOrders } from '../support/seckill.js';
import { waitFor } from '../support/wait.js';

// Redis losing a reservation's pending record must not lose the buyer's 202, and a
// reservation released on purpose must never become an order (docs/SECKILL.md, Consumer).
let h: Harness;
let consumer: RunningConsumer | undefined;
let admin: { token: string };
let broker: ChannelModel;
let channel: Channel;

before(async () => {
  h = await startHarness({
    ratelimit: { enabled: false },
    seckill: { max_attempts: 2 },
  });
  admin = await h.newAdmin();
  broker = await amqp.connect(amqpUrl(h.config.rabbitmq));
  channel = await broker.createChannel();
});
after(async () => {
  await broker?.close();
  await consumer?.stop();
  await h?.close();
});

const names = () => seckillNames(h.config);
const keysOf = (productId: number) => activityKeys(h.config.redis.key_prefix, productId);

async function sale(stock: number): Promise<number> {
  const productId = await makeProduct(h);
  const res = await h.api.post(
    '/api/seckill/init',
    { product_id: productId, stock },
    { token: admin.token },
  );
  assert.equal(res.status, 201);
  return productId;
}

async function startConsuming(): Promise<RunningConsumer> {
  consumer ??= await startConsumer(h.config, createLogger({ level: 'silent' }));
  return consumer;
}

async function recoveredCount(): Promise<number> {
  const metric = (await startConsuming()).registry.getSingleMetric(
    'seckill_orders_recovered_total',
  );
  assert.ok(metric, 'the consumer exports seckill_orders_recovered_total');
  return (await metric.get()).values[0]?.value ?? 0;
}

const publishOrders = (bodies: string[]) =>
  channel.publish(
    names().exchange,
    names().orderKey,
    Buffer.from(`{"orders":[${bodies.join(',')}]}`),
    { persistent: true },
  );

/** A reservation made by the script itself, its message returned and not published. */
async function reserveDirectly(productId: number, userId: number): Promise<string> {
  const reply = await scriptsOn(h.infra.redis).reserve({
    keys: keysOf(productId),
    userId,
    orderNo: newOrderNo(),
    quantity: 1,
    nowMs: Date.now(),
    outboxLimit: 100,
    pendingMaxAgeMs: 60_000,
    idempotencyTtlSeconds: 0,
    bucketRate: 0,
    bucketBurst: 0,
  });
  assert.equal(reply.code, ReserveCode.Reserved);
  return (reply as { message: string }).message;
}

/** The first dead-lettered message `match` accepts (the DLQ has no consumer; others are dropped). */
function deadLettered(match: (body: string) => boolean): Promise<amqp.GetMessage> {
  return waitFor(
    async () => {
      const message = await channel.get(names().dead, { noAck: true });
      return message && match(message.content.toString()) ? message : null;
    },
    15_000,
    'a dead-lettered message',
  );
}

const rowsOf = async (productId: number, orderNo: string) =>
  (await seckillOrders(h, productId)).filter((o) => o.order_no === orderNo);

describe('a message whose pending record Redis lost', () => {
  test('still becomes its order, exactly once, counted in seckill_orders_recovered_total', async () => {
    const productId = await sale(5);
    const [buyer, other] = await makeBuyers(h, 2);
    const accepted = await h.api.post(
      '/api/seckill',
      { product_id: productId },
      { token: buyer!.token },
    );
    assert.equal(accepted.status, 202);
    const orderNo = accepted.body.data.order_no as string;
    const keys = keysOf(productId);
    const body = await h.infra.redis.hget(keys.pending, orderNo);
    assert.ok(body, 'the reservation is pending');
    // Redis data loss: the outbox record is gone while the message waits in the queue.
    await h.infra.redis.hdel(keys.pending, orderNo);
    await h.infra.redis.zrem(keys.due, orderNo);

    await startConsuming();
    await waitFor(
      async () => (await rowsOf(productId, orderNo)).length > 0,
      15_000,
      'the order of the lost reservation',
    );
    // The row can be visible to this connection a moment before the consumer reads its own
    // commit's answer and counts it.
    await waitFor(async () => (await recoveredCount()) === 1, 5_000, 'the recovery counted');

    // The same message again, next to a fresh reservation: still one row, still counted once.
    const fresh = JSON.parse(await reserveDirectly(productId, other!.id)) as { order_no: string };
    publishOrders([body, JSON.stringify(fresh)]);
    await waitFor(
      async () => (await rowsOf(productId, fresh.order_no)).length > 0,
      15_000,
      'the fresh order',
    );
    assert.equal((await rowsOf(productId, orderNo)).length, 1);
    assert.equal(await recoveredCount(), 1);
    const result = await h.api.get(`/api/seckill/result?product_id=${productId}`, {
      token: buyer!.token,
    });
    assert.deepEqual(result.body.data, { status: 'success', order_no: orderNo });
  });
});

describe('a released reservation', () => {
  test('never becomes an order, even when its message comes back', async () => {
    const productId = await sale(3);
    const [buyer, other] = await makeBuyers(h, 2);
    await startConsuming();
    // MySQL disagrees with Redis (no stock left): the order cannot be inserted, so after
    // seckill.max_attempts it is dead-lettered and its reservation released.
    await h.infra.db('seckill_activities').where({ product_id: productId }).update({ stock: 0 });
    const accepted = await h.api.post(
      '/api/seckill',
      { product_id: productId },
      { token: buyer!.token },
    );
    assert.equal(accepted.status, 202);
    const orderNo = accepted.body.data.order_no as string;
    const dead = await deadLettered((body) => body.includes(orderNo));
    assert.match(String(dead.properties.headers?.['x-gomall-reason']), /^insert failed/);
    await waitFor(async () => (await redisStock(h, productId)) === 3, 5000, 'the unit back');
    const recoveredBefore = await recoveredCount();

    // MySQL repaired; the released reservation's message is delivered again, with a fresh
    // reservation behind it in the same message.
    await h.infra.db('seckill_activities').where({ product_id: productId }).update({ stock: 3 });
    const released = JSON.parse(dead.content.toString()) as { orders: unknown[] };
    const fresh = await reserveDirectly(productId, other!.id);
    publishOrders([JSON.stringify(released.orders[0]), fresh]);
    const freshNo = (JSON.parse(fresh) as { order_no: string }).order_no;
    await waitFor(
      async () => (await rowsOf(productId, freshNo)).length > 0,
      15_000,
      'the fresh order',
    );
    assert.deepEqual(await rowsOf(productId, orderNo), []);
    assert.equal(await recoveredCount(), recoveredBefore);
    const result = await h.api.get(`/api/seckill/result?product_id=${productId}`, {
      token: buyer!.token,
    });
    assert.deepEqual(result.body.data, { status: 'failed', order_no: orderNo });
  });
});

describe('payment timeouts', () => {
  test('a timeout that keeps failing is dead-lettered after seckill.max_attempts, not retried forever', async () => {
    await startConsuming();
    const [buyer] = await makeBuyers(h, 1);
    // A seckill order without its activity: cancelling it fails the same way every time.
    const orderNo = newOrderNo();
    await h.infra.db('orders').insert({
      order_no: orderNo,
      user_id: buyer!.id,
      kind: 'seckill',
      status: 'pending',
      total_amount: '9.90',
    });
    channel.publish(
      names().exchange,
      names().timeoutKey,
      Buffer.from(JSON.stringify({ product_id: 1, order_nos: [orderNo] })),
      { persistent: true },
    );
    const dead = await deadLettered((body) => body.includes(orderNo));
    assert.deepEqual(JSON.parse(dead.content.toString()), {
      product_id: 1,
      order_nos: [orderNo],
    });
    assert.match(String(dead.properties.headers?.['x-gomall-reason']), /^cancel failed/);
    assert.equal(dead.properties.headers?.['x-gomall-attempts'], 2);
    const row = (await h.infra.db('orders').where({ order_no: orderNo }).first()) as {
      status: string;
    };
    assert.equal(row.status, 'pending');
  });
});
