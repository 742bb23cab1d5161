import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startConsumer, type RunningConsumer } from '../../src/seckill/consumer/start.js';
import { createLogger } from '../../src/infra/logger.js';
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
let admin: { id: number; token: string };

before(async () => {
  // Measuring the sale, not the limits: they have a file of their own.
  h = await startHarness({ ratelimit: { enabled: false }, seckill: { sold_out_ttl_ms: 60_000 } });
  consumer = await startConsumer(h.config, createLogger({ level: 'silent' }));
  admin = await h.newAdmin();
});
after(async () => {
  await consumer?.stop();
  await h?.close();
});

const init = (body: Record<string, unknown>, token = admin.token) =>
  h.api.post('/api/seckill/init', body, { token });

describe('1,000 concurrent buyers for stock 100', () => {
  test('exactly 100 are queued, 100 orders after the drain, stock 0 everywhere, nobody twice', async () => {
    const productId = await makeProduct(h);
    assert.equal((await init({ product_id: productId, stock: 100 })).status, 201);
    const buyers = await makeBuyers(h, 1000);
    const answers = await Promise.all(
      buyers.map((b) => h.api.post('/api/seckill', { product_id: productId }, { token: b.token })),
    );
    const queued = answers.filter((a) => a.status === 202);
    assert.equal(queued.length, 100);
    for (const a of answers.filter((x) => x.status !== 202)) {
      assert.equal(a.status, 409);
      assert.equal(a.body.reason, 'SOLD_OUT');
    }
    // Drained: every reservation is a row and its outbox record is gone, so no order is
    // still on its way and the count below is final.
    await drained(h, productId);
    const orders = await seckillOrders(h, productId);
    assert.equal(orders.length, 100);
    assert.deepEqual(
      new Set(orders.map((o) => o.order_no)),
      new Set(queued.map((a) => a.body.data.order_no)),
    );
    assert.equal(new Set(orders.map((o) => o.user_id)).size, 100);
    assert.equal(await redisStock(h, productId), 0);
    assert.equal(await mysqlStock(h, productId), 0);
  });
});

describe('one buyer', () => {
  test('20 concurrent requests: one 202, the rest ALREADY_PURCHASED', async () => {
    const productId = await makeProduct(h);
    await init({ product_id: productId, stock: 50 });
    const [buyer] = await makeBuyers(h, 1);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.api.post('/api/seckill', { product_id: productId }, { token: buyer!.token }),
      ),
    );
    assert.equal(answers.filter((a) => a.status === 202).length, 1);
    const refused = answers.filter((a) => a.status !== 202);
    assert.equal(refused.length, 19);
    for (const a of refused) assert.equal(a.body.reason, 'ALREADY_PURCHASED');
    assert.equal(await redisStock(h, productId), 49);
  });

  test('Idempotency-Key: a retry gets the first answer and reserves nothing more', async () => {
    const productId = await makeProduct(h);
    await init({ product_id: productId, stock: 10, limit_per_user: 3 });
    const [buyer] = await makeBuyers(h, 1);
    const send = (key: string) =>
      h.api.post(
        '/api/seckill',
        { product_id: productId },
        { token: buyer!.token, headers: { 'idempotency-key': key } },
      );
    const first = await send('retry-1');
    const again = await send('retry-1');
    assert.equal(first.status, 202);
    assert.equal(again.status, 202);
    assert.equal(again.body.data.order_no, first.body.data.order_no);
    assert.equal(await redisStock(h, productId), 9);
    const other = await send('retry-2');
    assert.notEqual(other.body.data.order_no, first.body.data.order_no);
    assert.equal(await redisStock(h, productId), 8);
    assert.equal((await send('has space')).status, 400);
  });

  test('result: none, then success with the order number', async () => {
    const productId = await makeProduct(h);
    await init({ product_id: productId, stock: 5 });
    const [buyer] = await makeBuyers(h, 1);
    const none = await h.api.get(`/api/seckill/result?product_id=${productId}`, {
      token: buyer!.token,
    });
    assert.deepEqual(none.body.data, { status: 'none' });
    const queued = await h.api.post(
      '/api/seckill',
      { product_id: productId },
      { token: buyer!.token },
    );
    const done = await waitFor(async () => {
      const res = await h.api.get(`/api/seckill/result?product_id=${productId}`, {
        token: buyer!.token,
      });
      return res.body.data.status === 'success' ? res : null;
    });
    assert.equal(done.body.data.order_no, queued.body.data.order_no);
    const order = await h.api.get(`/api/order/${queued.body.data.order_no}`, {
      token: buyer!.token,
    });
    assert.equal(order.status, 200);
    assert.equal(
      (await h.api.get('/api/seckill/result?product_id=abc', { token: buyer!.token })).status,
      400,
    );
    assert.equal((await h.api.get(`/api/seckill/result?product_id=${productId}`)).status, 401);
  });
});

describe('the window', () => {
  test('before it NOT_STARTED, after it ENDED', async () => {
    const [buyer] = await makeBuyers(h, 1);
    const early = await makeProduct(h);
    const hour = 3600_000;
    await init({
      product_id: early,
      stock: 5,
      start_at: new Date(Date.now() + hour).toISOString(),
      end_at: new Date(Date.now() + 2 * hour).toISOString(),
    });
    const notStarted = await h.api.post(
      '/api/seckill',
      { product_id: early },
      { token: buyer!.token },
    );
    assert.equal(notStarted.status, 409);
    assert.equal(notStarted.body.reason, 'NOT_STARTED');
    const late = await makeProduct(h);
    await init({
      product_id: late,
      stock: 5,
      start_at: new Date(Date.now() - 2 * hour).toISOString(),
      end_at: new Date(Date.now() - hour).toISOString(),
    });
    const ended = await h.api.post('/api/seckill', { product_id: late }, { token: buyer!.token });
    assert.equal(ended.status, 409);
    assert.equal(ended.body.reason, 'ENDED');
    const view = await h.api.get(`/api/seckill/${late}`);
    assert.equal(view.body.data.status, 'ended');
    assert.equal(await redisStock(h, late), 5);
  });
});

describe('init and the activity view', () => {
  test('admin only; validated; unknown product 404', async () => {
    const productId = await makeProduct(h, '19.90');
    const [user] = await makeBuyers(h, 1);
    assert.equal((await init({ product_id: productId, stock: 5 }, user!.token)).status, 403);
    assert.equal(
      (await h.api.post('/api/seckill/init', { product_id: productId, stock: 5 })).status,
      401,
    );
    const bad = await init({ product_id: productId, stock: -1 });
    assert.equal(bad.status, 400);
    assert.match(bad.body.msg, /^stock:/);
    const backwards = await init({
      product_id: productId,
      stock: 1,
      start_at: '2026-11-25T12:00:00Z',
      end_at: '2026-11-25T11:00:00Z',
    });
    assert.match(backwards.body.msg, /^end_at:/);
    assert.equal((await init({ product_id: 99_999_999, stock: 5 })).status, 404);
    const ok = await init({ product_id: productId, stock: 7, limit_per_user: 2 });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.data.price, '19.90');
    const view = await h.api.get(`/api/seckill/${productId}`);
    assert.equal(view.status, 200);
    assert.equal(view.body.data.remaining, 7);
    assert.equal(view.body.data.limit_per_user, 2);
    assert.equal(view.body.data.status, 'active');
    assert.equal((await h.api.get('/api/seckill/99999999')).status, 404);
    assert.equal((await h.api.get('/api/seckill/abc')).status, 400);
  });

  test('no activity is 404; bad input is 400 naming the field; no token is 401; request id echoed', async () => {
    const [buyer] = await makeBuyers(h, 1);
    const missing = await h.api.post(
      '/api/seckill',
      { product_id: 99_999_998 },
      { token: buyer!.token },
    );
    assert.equal(missing.status, 404);
    assert.equal(missing.body.reason, 'NOT_FOUND');
    const bad = await h.api.post('/api/seckill', { product_id: 'x' }, { token: buyer!.token });
    assert.equal(bad.status, 400);
    assert.match(bad.body.msg, /^product_id:/);
    const qty = await h.api.post(
      '/api/seckill',
      { product_id: 1, quantity: 0 },
      { token: buyer!.token },
    );
    assert.match(qty.body.msg, /^quantity:/);
    const json = await h.api.post('/api/seckill', '{"product_id":', { token: buyer!.token });
    assert.equal(json.status, 400);
    assert.match(json.body.msg, /JSON/);
    const anonymous = await h.api.post(
      '/api/seckill',
      { product_id: 1 },
      { headers: { 'x-request-id': 'sk-trace-1' } },
    );
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.reason, 'UNAUTHORIZED');
    assert.equal(anonymous.headers.get('x-request-id'), 'sk-trace-1');
    const metrics = await (await fetch(`${h.api.baseUrl}/metrics`)).text();
    assert.match(
      metrics,
      /http_request_duration_seconds_count\{method="POST",route="\/api\/seckill",status_code="401"\} [1-9]/,
    );
    assert.match(
      metrics,
      /seckill_attempts_total\{result="not_found"\}|seckill_attempts_total\{result="no_activity"\} [1-9]/,
    );
  });
});

describe('sold-out flag', () => {
  test('answers from memory once sold out, and every instance drops it on re-init', async () => {
    const productId = await makeProduct(h);
    await init({ product_id: productId, stock: 1 });
    const second = await h.secondInstance();
    const buyers = await makeBuyers(h, 4);
    assert.equal(
      (await h.api.post('/api/seckill', { product_id: productId }, { token: buyers[0]!.token }))
        .status,
      202,
    );
    for (const api of [h.api, second.api]) {
      const res = await api.post(
        '/api/seckill',
        { product_id: productId },
        { token: buyers[1]!.token },
      );
      assert.equal(res.body.reason, 'SOLD_OUT');
    }
    // A unit put back by hand is not seen: the flag answers without asking Redis.
    await h.infra.redis.set(`${h.config.redis.key_prefix}seckill:{${productId}}:stock`, 3);
    const cached = await second.api.post(
      '/api/seckill',
      { product_id: productId },
      { token: buyers[2]!.token },
    );
    assert.equal(cached.body.reason, 'SOLD_OUT');
    await drained(h, productId);
    assert.equal((await init({ product_id: productId, stock: 2 })).status, 201);
    const after = await waitFor(
      async () => {
        const res = await second.api.post(
          '/api/seckill',
          { product_id: productId },
          { token: buyers[3]!.token },
        );
        return res.status === 202 ? res : null;
      },
      2000,
      'the second instance to drop its flag',
    );
    assert.equal(after.status, 202);
  });

  test('a retry with the same Idempotency-Key gets its 202 and order_no after the flag is set', async () => {
    const productId = await makeProduct(h);
    await init({ product_id: productId, stock: 1 });
    const [first, late] = await makeBuyers(h, 2);
    const buy = (token: string, key?: string) =>
      h.api.post(
        '/api/seckill',
        { product_id: productId },
        { token, ...(key ? { headers: { 'Idempotency-Key': key } } : {}) },
      );
    const accepted = await buy(first!.token, 'retry-after-sell-out');
    assert.equal(accepted.status, 202);
    // Sold out: this refusal sets the instance's flag, and the flag answers from memory.
    assert.equal((await buy(late!.token)).body.reason, 'SOLD_OUT');
    assert.equal((await buy(first!.token)).body.reason, 'SOLD_OUT');

    const retry = await buy(first!.token, 'retry-after-sell-out');
    assert.equal(retry.status, 202, retry.text);
    assert.equal(retry.body.data.order_no, accepted.body.data.order_no);
    await drained(h, productId);
    assert.deepEqual(
      (await seckillOrders(h, productId)).map((o) => o.order_no),
      [accepted.body.data.order_no],
    );
  });
});

describe('re-init and cancel', () => {
  test('a re-init keeps what buyers hold; a cancel gives the unit back to Redis and MySQL once', async () => {
    const productId = await makeProduct(h);
    await init({ product_id: productId, stock: 3 });
    const [buyer, other] = await makeBuyers(h, 2);
    const bought = await h.api.post(
      '/api/seckill',
      { product_id: productId },
      { token: buyer!.token },
    );
    await drained(h, productId);
    const again = await init({ product_id: productId, stock: 5 });
    assert.equal(again.body.data.total_stock, 6);
    assert.equal(again.body.data.generation, 2);
    const rebuy = await h.api.post(
      '/api/seckill',
      { product_id: productId },
      { token: buyer!.token },
    );
    assert.equal(rebuy.body.reason, 'ALREADY_PURCHASED');

    const orderNo = bought.body.data.order_no as string;
    const cancel = await h.api.post(`/api/order/${orderNo}/cancel`, {}, { token: buyer!.token });
    assert.equal(cancel.status, 200);
    assert.equal(
      (await h.api.post(`/api/order/${orderNo}/cancel`, {}, { token: buyer!.token })).status,
      409,
    );
    await waitFor(
      async () => (await redisStock(h, productId)) === 6,
      2000,
      'the unit back in Redis',
    );
    assert.equal(await mysqlStock(h, productId), 6);
    // The slot is not given back: the buyer still cannot buy again.
    assert.equal(
      (await h.api.post('/api/seckill', { product_id: productId }, { token: buyer!.token })).body
        .reason,
      'ALREADY_PURCHASED',
    );
    assert.equal(
      (await h.api.post('/api/seckill', { product_id: productId }, { token: other!.token })).status,
      202,
    );
  });
});
