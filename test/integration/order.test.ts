import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.js';
import { makeBuyers } from '../support/seckill.js';

let h: Harness;
let admin: string;

before(async () => {
  h = await startHarness();
  admin = (await h.newAdmin()).token;
});
after(async () => {
  await h.close();
});

async function product(stock: number, price = '10.00'): Promise<number> {
  const res = await h.api.post(
    '/api/product',
    { name: `p-${stock}-${price}`, price, stock },
    { token: admin },
  );
  assert.equal(res.status, 201, res.text);
  return res.body.data.id as number;
}

/** A user whose token is signed here: no bcrypt round trip per test. */
const shopper = async (): Promise<string> => (await makeBuyers(h, 1, 'order'))[0]!.token;

const stockOf = async (id: number): Promise<number> =>
  (await h.infra.db('products').where({ id }).first()).stock;

const order = (token: string, items: [productId: number, quantity: number][]) =>
  h.api.post(
    '/api/order',
    { items: items.map(([product_id, quantity]) => ({ product_id, quantity })) },
    { token },
  );

async function placed(token: string, items: [number, number][]): Promise<string> {
  const res = await order(token, items);
  assert.equal(res.status, 201, res.text);
  return res.body.data.order_no as string;
}

describe('creating orders', () => {
  test('an order takes the stock and totals in integer cents', async () => {
    const token = await shopper();
    const [a, b] = [await product(10, '0.10'), await product(10, '0.20')];
    const res = await order(token, [
      [a, 3],
      [b, 1],
    ]);
    assert.equal(res.status, 201);
    assert.equal(res.body.data.status, 'pending');
    assert.equal(res.body.data.kind, 'normal');
    assert.equal(res.body.data.total_amount, '0.50');
    assert.match(res.body.data.order_no, /^\d{17}[0-9A-Z]{13}$/);
    assert.deepEqual(
      res.body.data.items.map(
        (line: { product_id: number; quantity: number; unit_price: string; subtotal: string }) => [
          line.product_id,
          line.quantity,
          line.unit_price,
          line.subtotal,
        ],
      ),
      [
        [a, 3, '0.10', '0.30'],
        [b, 1, '0.20', '0.20'],
      ],
    );
    assert.equal(await stockOf(a), 7);
    assert.equal(await stockOf(b), 9);
  });

  test('50 concurrent orders for a stock of 10 give exactly 10 orders and stock 0', async () => {
    const id = await product(10);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => shopper()));
    const answers = await Promise.all(tokens.map((token) => order(token, [[id, 1]])));
    const statuses = answers.map((res) => res.status);
    assert.equal(statuses.filter((s) => s === 201).length, 10, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 409).length, 40, statuses.join(','));
    assert.ok(
      answers.filter((res) => res.status === 409).every((res) => res.body.reason === 'SOLD_OUT'),
    );
    assert.equal(await stockOf(id), 0);
    const counted = await h.infra
      .db('order_items')
      .where({ product_id: id })
      .count({ n: '*' })
      .first();
    assert.equal(Number(counted?.n), 10);
  });

  test('orders over the same two products in opposite order all finish', async () => {
    const [p, q] = [await product(1000), await product(1000)];
    const token = await shopper();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        order(
          token,
          i % 2 === 0
            ? [
                [p, 1],
                [q, 1],
              ]
            : [
                [q, 1],
                [p, 1],
              ],
        ),
      ),
    );
    assert.deepEqual(
      answers.map((res) => res.status),
      Array(30).fill(201),
    );
    assert.equal(await stockOf(p), 970);
    assert.equal(await stockOf(q), 970);
  });

  test('one line that cannot be served rolls back the whole order', async () => {
    const token = await shopper();
    const [ok, scarce] = [await product(5), await product(1)];
    const sold = await order(token, [
      [ok, 2],
      [scarce, 2],
    ]);
    assert.equal(sold.status, 409);
    assert.match(sold.body.msg, /only 1 left/);
    const unknown = await order(token, [
      [ok, 2],
      [999_999, 1],
    ]);
    assert.equal(unknown.status, 404);
    assert.equal(await stockOf(ok), 5);
    assert.equal(await stockOf(scarce), 1);
  });

  test('product detail shows the stock left right after an order', async () => {
    const token = await shopper();
    const id = await product(8);
    assert.equal((await h.api.get(`/api/product/${id}`)).body.data.stock, 8, 'cache warmed');
    const orderNo = await placed(token, [[id, 3]]);
    assert.equal((await h.api.get(`/api/product/${id}`)).body.data.stock, 5);
    await h.api.post(`/api/order/${orderNo}/cancel`, undefined, { token });
    assert.equal((await h.api.get(`/api/product/${id}`)).body.data.stock, 8);
  });

  test('bad orders are 400 naming the field', async () => {
    const token = await shopper();
    const id = await product(5);
    const cases: [unknown, RegExp][] = [
      [{}, /^items:/],
      [{ items: [] }, /^items:/],
      [{ items: [{ product_id: id, quantity: 1 }], from_cart: true }, /^items:/],
      [{ items: [{ product_id: id, quantity: 0 }] }, /^items\.0\.quantity:/],
      [{ items: [{ product_id: 'x', quantity: 1 }] }, /^items\.0\.product_id:/],
      [
        {
          items: [
            { product_id: id, quantity: 1 },
            { product_id: id, quantity: 2 },
          ],
        },
        /^items\.1\.product_id:.*twice/,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await h.api.post('/api/order', body, { token });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.msg, message);
    }
    assert.equal(await stockOf(id), 5);
    assert.equal(
      (await h.api.post('/api/order', { items: [{ product_id: id, quantity: 1 }] })).status,
      401,
    );
  });
});

describe('orders from the cart', () => {
  test('the cart becomes the order and its lines leave the cart', async () => {
    const token = await shopper();
    const [a, b] = [await product(10, '1.25'), await product(10, '0.05')];
    await h.api.post('/api/cart', { product_id: a, quantity: 2 }, { token });
    await h.api.post('/api/cart', { product_id: b, quantity: 3 }, { token });
    const res = await h.api.post('/api/order', { from_cart: true }, { token });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.data.total_amount, '2.65');
    assert.equal(res.body.data.items.length, 2);
    assert.deepEqual((await h.api.get('/api/cart', { token })).body.data.items, []);
    assert.equal(await stockOf(a), 8);
    assert.equal(await stockOf(b), 7);

    const again = await h.api.post('/api/order', { from_cart: true }, { token });
    assert.equal(again.status, 400);
    assert.match(again.body.msg, /cart is empty/);
  });

  test('a cart that cannot be served stays as it was', async () => {
    const token = await shopper();
    const id = await product(1);
    await h.api.post('/api/cart', { product_id: id, quantity: 2 }, { token });
    assert.equal((await h.api.post('/api/order', { from_cart: true }, { token })).status, 409);
    assert.equal((await h.api.get('/api/cart', { token })).body.data.items[0].quantity, 2);
  });
});

describe('pay and cancel', () => {
  test('pay is pending → paid once', async () => {
    const token = await shopper();
    const orderNo = await placed(token, [[await product(5), 1]]);
    const paid = await h.api.post(`/api/order/${orderNo}/pay`, undefined, { token });
    assert.equal(paid.status, 200);
    assert.equal(paid.body.data.status, 'paid');
    assert.ok(paid.body.data.paid_at);
    const twice = await h.api.post(`/api/order/${orderNo}/pay`, undefined, { token });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.reason, 'CONFLICT');
  });

  test('concurrent pays: exactly one wins', async () => {
    const token = await shopper();
    const orderNo = await placed(token, [[await product(5), 1]]);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.api.post(`/api/order/${orderNo}/pay`, undefined, { token }),
      ),
    );
    assert.deepEqual(answers.map((res) => res.status).sort(), [200, ...Array(9).fill(409)]);
  });

  test('cancel restores the stock; a cancelled order cannot be paid or cancelled again', async () => {
    const token = await shopper();
    const id = await product(5);
    const orderNo = await placed(token, [[id, 4]]);
    assert.equal(await stockOf(id), 1);
    const cancelled = await h.api.post(`/api/order/${orderNo}/cancel`, undefined, { token });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.data.status, 'cancelled');
    assert.equal(await stockOf(id), 5);
    assert.equal((await h.api.post(`/api/order/${orderNo}/pay`, undefined, { token })).status, 409);
    assert.equal(
      (await h.api.post(`/api/order/${orderNo}/cancel`, undefined, { token })).status,
      409,
    );
    assert.equal(await stockOf(id), 5, 'a second cancel gives nothing back');
  });

  test('concurrent cancels give the stock back once', async () => {
    const token = await shopper();
    const id = await product(5);
    const orderNo = await placed(token, [[id, 2]]);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.api.post(`/api/order/${orderNo}/cancel`, undefined, { token }),
      ),
    );
    assert.deepEqual(answers.map((res) => res.status).sort(), [200, ...Array(9).fill(409)]);
    assert.equal(await stockOf(id), 5);
  });

  test('a paid order cannot be cancelled', async () => {
    const token = await shopper();
    const id = await product(5);
    const orderNo = await placed(token, [[id, 1]]);
    await h.api.post(`/api/order/${orderNo}/pay`, undefined, { token });
    const res = await h.api.post(`/api/order/${orderNo}/cancel`, undefined, { token });
    assert.equal(res.status, 409);
    assert.equal(await stockOf(id), 4);
  });

  test('an order past its payment window cannot be paid', async () => {
    const token = await shopper();
    const orderNo = await placed(token, [[await product(5), 1]]);
    await h.infra
      .db('orders')
      .where({ order_no: orderNo })
      .update({ expires_at: new Date(Date.now() - 1000) });
    const res = await h.api.post(`/api/order/${orderNo}/pay`, undefined, { token });
    assert.equal(res.status, 409);
    assert.match(res.body.msg, /payment window/);
  });
});

describe('ownership', () => {
  test("user B cannot read, pay or cancel user A's order", async () => {
    const [a, b] = [await shopper(), await shopper()];
    const orderNo = await placed(a, [[await product(5), 1]]);
    for (const res of [
      await h.api.get(`/api/order/${orderNo}`, { token: b }),
      await h.api.post(`/api/order/${orderNo}/pay`, undefined, { token: b }),
      await h.api.post(`/api/order/${orderNo}/cancel`, undefined, { token: b }),
    ]) {
      assert.equal(res.status, 404);
      assert.equal(res.body.reason, 'NOT_FOUND');
    }
    const own = await h.api.get(`/api/order/${orderNo}`, { token: a });
    assert.equal(own.status, 200);
    assert.equal(own.body.data.status, 'pending');
    assert.equal((await h.api.get('/api/order', { token: b })).body.data.total, 0);
  });

  test('an unknown or malformed order number', async () => {
    const token = await shopper();
    assert.equal(
      (await h.api.get('/api/order/20260101000000000ABCDEFGHJKMN', { token })).status,
      404,
    );
    assert.equal((await h.api.get(`/api/order/${'x'.repeat(33)}`, { token })).status, 400);
    assert.equal((await h.api.get('/api/order/bad-no', { token })).status, 400);
  });
});

describe('listing orders', () => {
  test('own orders, newest first, paged and filtered by status', async () => {
    const token = await shopper();
    const id = await product(10);
    const numbers = [];
    for (let i = 0; i < 3; i += 1) numbers.push(await placed(token, [[id, 1]]));
    await h.api.post(`/api/order/${numbers[0]}/pay`, undefined, { token });

    const page = await h.api.get('/api/order?page=1&page_size=2', { token });
    assert.equal(page.status, 200);
    assert.equal(page.body.data.total, 3);
    assert.deepEqual(
      page.body.data.items.map((o: { order_no: string }) => o.order_no),
      [numbers[2], numbers[1]],
    );
    assert.equal(page.body.data.items[0].items.length, 1, 'each order carries its lines');

    const paid = await h.api.get('/api/order?status=paid', { token });
    assert.deepEqual(
      paid.body.data.items.map((o: { order_no: string }) => o.order_no),
      [numbers[0]],
    );
    assert.equal((await h.api.get('/api/order?status=lost', { token })).status, 400);
    assert.equal((await h.api.get('/api/order?page_size=1000', { token })).status, 400);
  });
});
