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
import {
  drained,
  makeBuyers,
  makeProduct,
  mysqlStock,
  redisStock,
  seckillOrders,
} from '../support/seckill.js';
import { waitFor } from '../support/wait.js';

let h: Harness;
let consumer: RunningConsumer;
let admin: { token: string };
let broker: ChannelModel;
let channel: Channel;

before(async () => {
  h = await startHarness({
    ratelimit: { enabled: false },
    seckill: {
      payment_timeout_seconds: 1,
      max_attempts: 3,
      sweeper_interval_ms: 100,
      pending_max_age_ms: 300,
    },
  });
  consumer = await startConsumer(h.config, createLogger({ level: 'silent' }));
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

async function sale(stock: number, limit = 1): Promise<number> {
  const productId = await makeProduct(h);
  const res = await h.api.post(
    '/api/seckill/init',
    { product_id: productId, stock, limit_per_user: limit },
    { token: admin.token },
  );
  assert.equal(res.status, 201);
  return productId;
}

/**
 * The first dead-lettered message whose body `match` accepts (polls; the DLQ has no
 * consumer). Others are dropped: a sweeper's copy of a poison message may be dead-lettered too.
 */
async function nextDead(match: (body: string) => boolean): Promise<amqp.GetMessage> {
  return waitFor(
    async () => {
      const message = await channel.get(names().dead, { noAck: true });
      return message && match(message.content.toString()) ? message : null;
    },
    10_000,
    'a dead-lettered message',
  );
}

describe('dead-lettering', () => {
  test('a poison message ends in the DLQ after the configured attempts, with the reason; its unit goes back', async () => {
    const productId = await sale(10);
    const [good] = await makeBuyers(h, 1);
    // A token for a user who does not exist: the reservation works, the order row cannot (FK).
    const ghost = h.jwt.sign({ id: 987_654_321, role: 'user' }).token;
    const [poison, fine] = await Promise.all([
      h.api.post('/api/seckill', { product_id: productId }, { token: ghost }),
      h.api.post('/api/seckill', { product_id: productId }, { token: good!.token }),
    ]);
    assert.equal(poison.status, 202);
    assert.equal(fine.status, 202);
    const dead = await nextDead((body) => body.includes(poison.body.data.order_no));
    assert.equal(JSON.parse(dead.content.toString()).orders[0].order_no, poison.body.data.order_no);
    assert.match(String(dead.properties.headers?.['x-gomall-reason']), /insert failed/);
    assert.equal(dead.properties.headers?.['x-gomall-attempts'], 3);
    // The good order of the same batch is made; the poison's unit is back on sale.
    await drained(h, productId);
    assert.deepEqual(
      (await seckillOrders(h, productId)).map((o) => o.order_no),
      [fine.body.data.order_no],
    );
    // 10 units less the good order's, unless its 1 s payment timeout already gave it back.
    const [order] = await seckillOrders(h, productId);
    assert.equal(await redisStock(h, productId), order!.status === 'cancelled' ? 10 : 9);
    const result = await h.api.get(`/api/seckill/result?product_id=${productId}`, { token: ghost });
    assert.deepEqual(result.body.data, { status: 'failed', order_no: poison.body.data.order_no });
  });

  test('a malformed message is dead-lettered, not dropped', async () => {
    channel.publish(names().exchange, names().orderKey, Buffer.from('{"order_no": 12'), {
      persistent: true,
    });
    const dead = await nextDead((body) => body === '{"order_no": 12');
    assert.equal(dead.content.toString(), '{"order_no": 12');
    assert.match(String(dead.properties.headers?.['x-gomall-reason']), /^malformed/);
  });
});

describe('redelivery', () => {
  test('a message whose order exists (crash after commit, before cleanup) is a no-op, even mixed in a batch', async () => {
    const productId = await sale(10);
    const [first, second] = await makeBuyers(h, 2);
    const made = await h.api.post(
      '/api/seckill',
      { product_id: productId },
      { token: first!.token },
    );
    await drained(h, productId);
    assert.equal(await mysqlStock(h, productId), 9);
    // Put the pending record back as if the consumer died between COMMIT and the cleanup,
    // and send the message again next to a new reservation.
    const keys = activityKeys(h.config.redis.key_prefix, productId);
    const [order] = await seckillOrders(h, productId);
    const message = {
      order_no: made.body.data.order_no,
      user_id: first!.id,
      activity_id: (await h.infra.db('seckill_activities').where({ product_id: productId }).first())
        .id,
      product_id: productId,
      price_cents: 990,
      generation: 1,
      quantity: 1,
      slot: order!.buyer_slot,
      reserved_at: Date.now(),
    };
    await h.infra.redis.hset(keys.pending, message.order_no, JSON.stringify(message));
    channel.publish(
      names().exchange,
      names().orderKey,
      Buffer.from(JSON.stringify({ orders: [message] })),
      {
        persistent: true,
      },
    );
    const fresh = await h.api.post(
      '/api/seckill',
      { product_id: productId },
      { token: second!.token },
    );
    await drained(h, productId);
    const orders = await seckillOrders(h, productId);
    assert.deepEqual(
      orders.map((o) => o.order_no).sort(),
      [made.body.data.order_no, fresh.body.data.order_no].sort(),
    );
    assert.equal(await mysqlStock(h, productId), 8);
    assert.equal(await redisStock(h, productId), 8);
  });
});

/** A pending order from the catalog (not seckill); returns its order number. */
async function catalogOrder(): Promise<string> {
  const [productId] = await h.infra
    .db('products')
    .insert({ name: 'plain', price: '1.00', stock: 1 });
  const [shopper] = await makeBuyers(h, 1, 'shopper');
  const res = await h.api.post(
    '/api/order',
    { items: [{ product_id: Number(productId), quantity: 1 }] },
    { token: shopper!.token },
  );
  assert.equal(res.status, 201);
  return res.body.data.order_no as string;
}

const orderStatus = async (orderNo: string) =>
  (
    (await h.infra.db('orders').select('status').where({ order_no: orderNo }).first()) as
      { status: string } | undefined
  )?.status;

describe('payment timeout', () => {
  test('an unpaid order is cancelled and its unit returns to Redis and MySQL; a paid one stays', async () => {
    const productId = await sale(5);
    const [late, payer] = await makeBuyers(h, 2);
    const unpaid = await h.api.post(
      '/api/seckill',
      { product_id: productId },
      { token: late!.token },
    );
    const paid = await h.api.post(
      '/api/seckill',
      { product_id: productId },
      { token: payer!.token },
    );
    await drained(h, productId);
    assert.equal(await mysqlStock(h, productId), 3);
    const pay = await h.api.post(
      `/api/order/${paid.body.data.order_no}/pay`,
      {},
      { token: payer!.token },
    );
    assert.equal(pay.status, 200);
    await waitFor(
      async () => (await seckillOrders(h, productId)).some((o) => o.status === 'cancelled'),
      5000,
      'the timeout',
    );
    const orders = new Map((await seckillOrders(h, productId)).map((o) => [o.order_no, o.status]));
    assert.equal(orders.get(unpaid.body.data.order_no), 'cancelled');
    assert.equal(orders.get(paid.body.data.order_no), 'paid');
    await waitFor(
      async () => (await redisStock(h, productId)) === 4,
      2000,
      'the unit back in Redis',
    );
    assert.equal(await mysqlStock(h, productId), 4);
    // Exactly once: a second timeout for the same order changes nothing. A pending catalog
    // order rides in the same message after it: the consumer cancels a message's orders in
    // turn, so once that one is cancelled the repeated one has been handled.
    const marker = await catalogOrder();
    channel.publish(
      names().exchange,
      names().timeoutKey,
      Buffer.from(
        JSON.stringify({ product_id: productId, order_nos: [unpaid.body.data.order_no, marker] }),
      ),
      {
        persistent: true,
      },
    );
    await waitFor(
      async () => (await orderStatus(marker)) === 'cancelled',
      5000,
      'the repeated timeout message to be handled',
    );
    assert.equal(await redisStock(h, productId), 4);
    assert.equal(await mysqlStock(h, productId), 4);
  });
});

describe('sweeper', () => {
  test('a reservation that was never published (a crash after the Lua call) becomes an order', async () => {
    const productId = await sale(5);
    const [buyer] = await makeBuyers(h, 1);
    const keys = activityKeys(h.config.redis.key_prefix, productId);
    const orderNo = newOrderNo();
    const { code } = await scriptsOn(h.infra.redis).reserve({
      keys,
      userId: buyer!.id,
      orderNo,
      quantity: 1,
      nowMs: Date.now(),
      outboxLimit: 100,
      pendingMaxAgeMs: h.config.seckill.pending_max_age_ms,
      idempotencyTtlSeconds: 0,
      bucketRate: 0,
      bucketBurst: 0,
    });
    assert.equal(code, ReserveCode.Reserved);
    const orders = await waitFor(
      async () => {
        const rows = await seckillOrders(h, productId);
        return rows.length > 0 ? rows : null;
      },
      5000,
      'the swept order',
    );
    assert.deepEqual(
      orders.map((o) => [o.order_no, o.user_id]),
      [[orderNo, buyer!.id]],
    );
    await drained(h, productId);
  });
});
