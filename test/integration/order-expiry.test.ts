import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { createLogger } from '../../src/infra/logger.js';
import { amqpUrl } from '../../src/infra/mq.js';
import { createOrderService } from '../../src/order/module.js';
import type { OrderService } from '../../src/order/service.js';
import { startConsumer, type RunningConsumer } from '../../src/seckill/consumer/start.js';
import { expire } from '../../src/seckill/consumer/timeout-consumer.js';
import { seckillNames } from '../../src/seckill/topology.js';
import { startHarness, type Harness } from '../support/harness.js';
import { makeBuyers } from '../support/seckill.js';
import { waitFor } from '../support/wait.js';

const logger = createLogger({ level: 'silent' });
let h: Harness;
let consumer: RunningConsumer;
let admin: string;
/** An OrderService without a broker: its orders never get a timeout message (a lost one). */
let offline: OrderService;
let broker: ChannelModel;
let channel: Channel;

before(async () => {
  h = await startHarness({
    ratelimit: { enabled: false },
    order: { payment_timeout_seconds: 1 },
    log: { level: 'error' },
    seckill: { sweeper_interval_ms: 100, pending_max_age_ms: 300 },
  });
  consumer = await startConsumer(h.config, logger);
  admin = (await h.newAdmin()).token;
  offline = createOrderService({
    config: h.config,
    db: h.infra.db,
    redis: h.infra.redis,
    logger,
    invalidateProducts: async () => undefined,
  });
  broker = await amqp.connect(amqpUrl(h.config.rabbitmq));
  channel = await broker.createChannel();
});
after(async () => {
  await broker?.close();
  await consumer?.stop();
  await h?.close();
});

async function product(stock: number): Promise<number> {
  const res = await h.api.post(
    '/api/product',
    { name: `exp-${stock}`, price: '2.50', stock },
    { token: admin },
  );
  assert.equal(res.status, 201, res.text);
  return res.body.data.id as number;
}

const stockOf = async (id: number): Promise<number> =>
  (await h.infra.db('products').where({ id }).first()).stock;

const statusOf = async (orderNo: string): Promise<string> =>
  (await h.infra.db('orders').where({ order_no: orderNo }).first()).status;

async function placed(token: string, productId: number, quantity = 1): Promise<string> {
  const res = await h.api.post(
    '/api/order',
    { items: [{ product_id: productId, quantity }] },
    { token },
  );
  assert.equal(res.status, 201, res.text);
  return res.body.data.order_no as string;
}

const cancelled = (orderNo: string) =>
  waitFor(async () => (await statusOf(orderNo)) === 'cancelled', 15_000, `${orderNo} cancelled`);

describe('payment timeout of normal orders', () => {
  test('an unpaid order is cancelled by the delay queue and its stock is back exactly once', async () => {
    const token = (await makeBuyers(h, 1, 'exp'))[0]!.token;
    const id = await product(10);
    const orderNo = await placed(token, id, 4);
    assert.equal(await stockOf(id), 6);
    await cancelled(orderNo);
    assert.equal(await stockOf(id), 10);
    assert.equal((await h.api.get(`/api/product/${id}`)).body.data.stock, 10);
    const late = await h.api.post(`/api/order/${orderNo}/pay`, undefined, { token: token });
    assert.equal(late.status, 409);
    assert.match(late.body.msg, /is cancelled, not pending/);

    // The same timeout again (a redelivery), ahead of another order's in one message: the
    // consumer handles a message's orders in turn, so once the second is cancelled the
    // first has been seen again, and it gave nothing back twice.
    const other = await placed(token, id, 1);
    channel.sendToQueue(
      seckillNames(h.config).timeouts,
      Buffer.from(JSON.stringify({ order_nos: [orderNo, other] })),
      { persistent: true },
    );
    await cancelled(other);
    assert.equal(await stockOf(id), 10);
    assert.equal(await expire(offline, orderNo), 'kept');
    await consumer.sweeper.sweep();
    assert.equal(await stockOf(id), 10);
  });

  test('an order whose timeout message was lost is cancelled by the sweeper', async () => {
    const [buyer] = await makeBuyers(h, 1, 'lost');
    const id = await product(5);
    const order = await offline.create(buyer!.id, { items: [{ product_id: id, quantity: 2 }] });
    assert.equal(await stockOf(id), 3);
    await cancelled(order.order_no);
    assert.equal(await stockOf(id), 5);
  });

  test('a payment racing the timeout: exactly one of paid and cancelled wins', async () => {
    const buyers = await makeBuyers(h, 12, 'race');
    const id = await product(12);
    const orders = await Promise.all(buyers.map((b) => placed(b.token, id)));
    // Half race the system cancel head on; half pay just before their deadline.
    const answers = await Promise.all(
      orders.map(async (orderNo, i) => {
        const token = buyers[i]!.token;
        if (i % 2 === 0) {
          const [pay] = await Promise.all([
            h.api.post(`/api/order/${orderNo}/pay`, undefined, { token }),
            expire(offline, orderNo),
          ]);
          return pay.status;
        }
        const row = await h.infra.db('orders').where({ order_no: orderNo }).first();
        const deadline = (row.expires_at as Date).getTime();
        await waitFor(async () => Date.now() >= deadline - 60, 5000, 'near the deadline');
        return (await h.api.post(`/api/order/${orderNo}/pay`, undefined, { token })).status;
      }),
    );
    // Every order settles: paid, or cancelled by the race or by its timeout.
    const final = await waitFor(async () => {
      const statuses = await Promise.all(orders.map(statusOf));
      return statuses.every((s) => s !== 'pending') && statuses;
    }, 15_000);
    final.forEach((status, i) => {
      assert.equal(status, answers[i] === 200 ? 'paid' : 'cancelled', `order ${i}: ${answers[i]}`);
    });
    const paid = final.filter((s) => s === 'paid').length;
    assert.equal(await stockOf(id), 12 - paid);
  });
});
