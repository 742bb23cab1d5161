import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signBody } from '../../src/payment/signature.js';
import { startHarness, type Harness } from '../support/harness.js';
import { makeBuyers } from '../support/seckill.js';

let h: Harness;
let admin: string;
const secret = 'a-payment-secret-for-these-tests';

before(async () => {
  h = await startHarness({ ratelimit: { enabled: false }, payment: { secret } });
  admin = (await h.newAdmin()).token;
});
after(async () => {
  await h.close();
});

async function pendingOrder(price = '12.30', quantity = 2) {
  const product = await h.api.post(
    '/api/product',
    { name: 'pay-me', price, stock: 10 },
    { token: admin },
  );
  const productId = product.body.data.id as number;
  const [buyer] = await makeBuyers(h, 1, 'pay');
  const res = await h.api.post(
    '/api/order',
    { items: [{ product_id: productId, quantity }] },
    { token: buyer!.token },
  );
  assert.equal(res.status, 201, res.text);
  return { orderNo: res.body.data.order_no as string, total: res.body.data.total_amount as string };
}

const row = (orderNo: string) => h.infra.db('orders').where({ order_no: orderNo }).first();

/** Posts `body` exactly as given (the signature is over these bytes), signed with `key`. */
function notify(body: string, signature: string | null) {
  return h.api.request('POST', '/api/payment/notify', {
    body,
    headers: signature === null ? {} : { 'x-signature': signature },
  });
}

const notification = (orderNo: string, amount: string, paymentId = `pay_${orderNo}`) =>
  JSON.stringify({ order_no: orderNo, amount, payment_id: paymentId });

describe('POST /api/payment/notify', () => {
  test('a valid notification pays once; repeated it is 200 and changes nothing', async () => {
    const { orderNo, total } = await pendingOrder();
    assert.equal(total, '24.60');
    const body = notification(orderNo, total);
    const first = await notify(body, signBody(secret, body));
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.data.status, 'paid');
    const paid = await row(orderNo);
    assert.equal(paid.payment_ref, `pay_${orderNo}`);

    const again = await Promise.all([1, 2, 3].map(() => notify(body, signBody(secret, body))));
    for (const res of again) {
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.data.paid_at, first.body.data.paid_at);
    }
    assert.deepEqual(await row(orderNo), paid);
    // Still 200 and unchanged once the order has moved on.
    assert.equal(
      (await h.api.post(`/api/order/${orderNo}/ship`, undefined, { token: admin })).status,
      200,
    );
    const late = await notify(body, signBody(secret, body));
    assert.equal(late.status, 200);
    assert.equal(late.body.data.status, 'shipped');
  });

  test('a forged or missing signature is 401 and changes nothing', async () => {
    const { orderNo, total } = await pendingOrder();
    const body = notification(orderNo, total);
    const forged = [
      null,
      '',
      'sha256=',
      signBody('another-secret-entirely!', body),
      signBody(secret, body).replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      signBody(secret, body.replace('"amount"', '"amount" ')),
      `${signBody(secret, body)}00`,
      'sha256=zz' + '0'.repeat(62),
    ];
    for (const signature of forged) {
      const res = await notify(body, signature);
      assert.equal(res.status, 401, `${signature}: ${res.text}`);
      assert.equal(res.body.reason, 'UNAUTHORIZED');
    }
    // The bytes signed are the bytes sent: re-serialising the same JSON breaks it.
    const respaced = JSON.stringify(JSON.parse(body), null, 1);
    assert.equal((await notify(respaced, signBody(secret, body))).status, 401);
    const order = await row(orderNo);
    assert.equal(order.status, 'pending');
    assert.equal(order.payment_ref, null);
  });

  test('the signature is checked before the body is parsed', async () => {
    const junk = '{not json';
    assert.equal((await notify(junk, 'sha256=' + '0'.repeat(64))).status, 401);
    const res = await notify(junk, signBody(secret, junk));
    assert.equal(res.status, 400);
    assert.equal(res.body.msg, 'body: not valid JSON');
  });

  test('an unknown order is 404, a wrong amount 400, and neither changes anything', async () => {
    const unknown = notification('20991231000000000NOSUCHORDER00', '1.00');
    const missing = await notify(unknown, signBody(secret, unknown));
    assert.equal(missing.status, 404);
    assert.equal(missing.body.reason, 'NOT_FOUND');

    const { orderNo } = await pendingOrder('5.00', 1);
    const wrong = notification(orderNo, '4.99');
    const res = await notify(wrong, signBody(secret, wrong));
    assert.equal(res.status, 400);
    assert.match(res.body.msg, /^amount: 4\.99 does not match the order's total 5\.00/);
    const bad = JSON.stringify({ order_no: orderNo, amount: '5.00' });
    const noId = await notify(bad, signBody(secret, bad));
    assert.equal(noId.status, 400);
    assert.match(noId.body.msg, /^payment_id:/);
    assert.equal((await row(orderNo)).status, 'pending');
  });

  test('another payment for a paid order, or one payment for two orders, is 409', async () => {
    const a = await pendingOrder('3.00', 1);
    const b = await pendingOrder('3.00', 1);
    const first = notification(a.orderNo, '3.00', 'pay_shared');
    assert.equal((await notify(first, signBody(secret, first))).status, 200);
    const second = notification(a.orderNo, '3.00', 'pay_other');
    const twice = await notify(second, signBody(secret, second));
    assert.equal(twice.status, 409);
    assert.match(twice.body.msg, /is paid, not pending/);
    const reused = notification(b.orderNo, '3.00', 'pay_shared');
    const res = await notify(reused, signBody(secret, reused));
    assert.equal(res.status, 409);
    assert.match(res.body.msg, /payment pay_shared already paid another order/);
    assert.equal((await row(b.orderNo)).status, 'pending');
  });

  test('a cancelled order is not paid by a late notification (409 naming the status)', async () => {
    const [buyer] = await makeBuyers(h, 1, 'late');
    const product = await h.api.post(
      '/api/product',
      { name: 'late', price: '1.00', stock: 1 },
      { token: admin },
    );
    const order = await h.api.post(
      '/api/order',
      { items: [{ product_id: product.body.data.id, quantity: 1 }] },
      { token: buyer!.token },
    );
    const orderNo = order.body.data.order_no as string;
    await h.api.post(`/api/order/${orderNo}/cancel`, undefined, { token: buyer!.token });
    const body = notification(orderNo, '1.00');
    const res = await notify(body, signBody(secret, body));
    assert.equal(res.status, 409);
    assert.match(res.body.msg, /is cancelled, not pending/);
  });
});

describe('the simulated pay', () => {
  test('is off outside dev and test: 404 and the order stays pending', async () => {
    const off = await startHarness({ payment: { simulated_pay: false } });
    try {
      const [buyer] = await makeBuyers(off, 1, 'nosim');
      const [productId] = await off.infra
        .db('products')
        .insert({ name: 'x', price: '1.00', stock: 1 });
      const order = await off.api.post(
        '/api/order',
        { items: [{ product_id: Number(productId), quantity: 1 }] },
        { token: buyer!.token },
      );
      const orderNo = order.body.data.order_no as string;
      const res = await off.api.post(`/api/order/${orderNo}/pay`, undefined, {
        token: buyer!.token,
      });
      assert.equal(res.status, 404);
      assert.match(res.body.msg, /simulated payment is off/);
      assert.equal(
        (await off.infra.db('orders').where({ order_no: orderNo }).first()).status,
        'pending',
      );
    } finally {
      await off.close();
    }
  });
});
