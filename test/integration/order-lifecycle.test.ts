import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.js';
import { makeBuyers } from '../support/seckill.js';

let h: Harness;
let admin: string;

before(async () => {
  h = await startHarness({ ratelimit: { enabled: false } });
  admin = (await h.newAdmin()).token;
});
after(async () => {
  await h.close();
});

const shopper = async (): Promise<string> => (await makeBuyers(h, 1, 'life'))[0]!.token;

async function product(stock: number): Promise<number> {
  const res = await h.api.post(
    '/api/product',
    { name: `life-${stock}`, price: '5.00', stock },
    { token: admin },
  );
  assert.equal(res.status, 201, res.text);
  return res.body.data.id as number;
}

const stockOf = async (id: number): Promise<number> =>
  (await h.infra.db('products').where({ id }).first()).stock;

async function placed(token: string, productId: number, quantity = 1): Promise<string> {
  const res = await h.api.post(
    '/api/order',
    { items: [{ product_id: productId, quantity }] },
    {
      token,
    },
  );
  assert.equal(res.status, 201, res.text);
  return res.body.data.order_no as string;
}

const act = (orderNo: string, action: string, token: string) =>
  h.api.post(`/api/order/${orderNo}/${action}`, undefined, { token });

async function paidOrder(token: string, productId: number, quantity = 1): Promise<string> {
  const orderNo = await placed(token, productId, quantity);
  assert.equal((await act(orderNo, 'pay', token)).status, 200);
  return orderNo;
}

describe('a normal order', () => {
  test('gets expires_at from order.payment_timeout_seconds', async () => {
    const token = await shopper();
    const res = await h.api.post(
      '/api/order',
      { items: [{ product_id: await product(3), quantity: 1 }] },
      {
        token,
      },
    );
    const { created_at, expires_at } = res.body.data;
    assert.equal(
      Date.parse(expires_at) - Date.parse(created_at),
      h.config.order.payment_timeout_seconds * 1000,
    );
  });
});

describe('ship, confirm', () => {
  test('paid → shipped (admin) → completed (buyer), each stamped once', async () => {
    const token = await shopper();
    const orderNo = await paidOrder(token, await product(5));
    const shipped = await act(orderNo, 'ship', admin);
    assert.equal(shipped.status, 200, shipped.text);
    assert.equal(shipped.body.data.status, 'shipped');
    assert.ok(shipped.body.data.shipped_at);
    const completed = await act(orderNo, 'confirm', token);
    assert.equal(completed.status, 200, completed.text);
    assert.equal(completed.body.data.status, 'completed');
    assert.ok(completed.body.data.completed_at);
    assert.equal(completed.body.data.shipped_at, shipped.body.data.shipped_at);
  });

  test('a wrong transition is 409 naming the current status', async () => {
    const token = await shopper();
    const id = await product(5);
    const pending = await placed(token, id);
    const ship = await act(pending, 'ship', admin);
    assert.equal(ship.status, 409);
    assert.equal(ship.body.reason, 'CONFLICT');
    assert.match(ship.body.msg, /is pending, not paid/);
    const confirm = await act(pending, 'confirm', token);
    assert.equal(confirm.status, 409);
    assert.match(confirm.body.msg, /is pending, not shipped/);
    const refund = await act(pending, 'refund', token);
    assert.match(refund.body.msg, /is pending, not paid/);

    const paid = await paidOrder(token, id);
    assert.match((await act(paid, 'confirm', token)).body.msg, /is paid, not shipped/);
    assert.match((await act(paid, 'cancel', token)).body.msg, /is paid, not pending/);
    assert.equal((await act(paid, 'ship', admin)).status, 200);
    const twice = await act(paid, 'ship', admin);
    assert.equal(twice.status, 409);
    assert.match(twice.body.msg, /is shipped, not paid/);
    assert.match((await act(paid, 'refund', admin)).body.msg, /is shipped, not paid/);
    assert.match((await act(paid, 'pay', token)).body.msg, /is shipped, not pending/);
    assert.equal((await act(paid, 'confirm', token)).status, 200);
    assert.match((await act(paid, 'confirm', token)).body.msg, /is completed, not shipped/);
  });

  test('concurrent ships of one order: exactly one wins', async () => {
    const token = await shopper();
    const orderNo = await paidOrder(token, await product(5));
    const answers = await Promise.all(Array.from({ length: 8 }, () => act(orderNo, 'ship', admin)));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409, 409, 409, 409, 409, 409, 409]);
  });

  test('a user cannot ship, nor confirm or refund another user’s order', async () => {
    const [owner, other] = [await shopper(), await shopper()];
    const orderNo = await paidOrder(owner, await product(5));
    const ship = await act(orderNo, 'ship', owner);
    assert.equal(ship.status, 403);
    assert.equal(ship.body.reason, 'FORBIDDEN');
    assert.equal((await act(orderNo, 'refund', other)).status, 404);
    assert.equal((await h.api.get(`/api/order/${orderNo}`, { token: other })).status, 404);
    assert.equal((await act(orderNo, 'ship', admin)).status, 200);
    assert.equal((await act(orderNo, 'confirm', other)).status, 404);
    const order = await h.infra.db('orders').where({ order_no: orderNo }).first();
    assert.equal(order.status, 'shipped');
  });

  test('unknown orders are 404, malformed numbers 400', async () => {
    assert.equal((await act('20991231000000000NOSUCHORDER00', 'ship', admin)).status, 404);
    assert.equal((await act('not-a-number!', 'ship', admin)).status, 400);
  });
});

describe('refund', () => {
  test('the buyer refunds their paid order and the stock comes back once', async () => {
    const token = await shopper();
    const id = await product(10);
    const orderNo = await paidOrder(token, id, 3);
    assert.equal(await stockOf(id), 7);
    const answers = await Promise.all([
      act(orderNo, 'refund', token),
      act(orderNo, 'refund', token),
    ]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409]);
    const refunded = answers.find((a) => a.status === 200)!;
    assert.equal(refunded.body.data.status, 'refunded');
    assert.ok(refunded.body.data.refunded_at);
    assert.equal(await stockOf(id), 10);
    // Product detail shows the stock given back (the cache was dropped).
    assert.equal((await h.api.get(`/api/product/${id}`)).body.data.stock, 10);
  });

  test('an admin refunds anyone’s paid order; nobody refunds a shipped one', async () => {
    const token = await shopper();
    const id = await product(10);
    const orderNo = await paidOrder(token, id, 2);
    const res = await act(orderNo, 'refund', admin);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.data.status, 'refunded');
    assert.equal(await stockOf(id), 10);

    const shipped = await paidOrder(token, id);
    assert.equal((await act(shipped, 'ship', admin)).status, 200);
    const late = await act(shipped, 'refund', token);
    assert.equal(late.status, 409);
    assert.match(late.body.msg, /is shipped, not paid/);
    assert.equal(await stockOf(id), 9);
  });
});

describe('GET /api/admin/orders', () => {
  test('admins list everyone’s orders by status, paged; users get 403', async () => {
    const [a, b] = [await shopper(), await shopper()];
    const id = await product(20);
    const paidA = await paidOrder(a, id);
    const paidB = await paidOrder(b, id);
    await placed(a, id);

    const page = await h.api.get('/api/admin/orders?status=paid&page_size=100', { token: admin });
    assert.equal(page.status, 200, page.text);
    const numbers = page.body.data.items.map((o: { order_no: string }) => o.order_no);
    assert.ok(numbers.includes(paidA) && numbers.includes(paidB));
    assert.ok(page.body.data.items.every((o: { status: string }) => o.status === 'paid'));
    assert.equal(page.body.data.total, await countWhere('paid'));

    const first = await h.api.get('/api/admin/orders?page=1&page_size=1', { token: admin });
    assert.equal(first.body.data.items.length, 1);
    assert.equal(first.body.data.page_size, 1);
    assert.equal(first.body.data.total, await countWhere());

    const asUser = await h.api.get('/api/admin/orders?status=paid', { token: a });
    assert.equal(asUser.status, 403);
    const bad = await h.api.get('/api/admin/orders?status=lost', { token: admin });
    assert.equal(bad.status, 400);
    assert.match(bad.body.msg, /^status:/);
  });
});

async function countWhere(status?: string): Promise<number> {
  const query = h.infra.db('orders').count({ n: '*' });
  if (status) query.where({ status });
  return Number((await query.first())!.n);
}
