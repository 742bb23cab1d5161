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

async function product(price: string, name = `p-${price}`): Promise<number> {
  const res = await h.api.post('/api/product', { name, price, stock: 100 }, { token: admin });
  assert.equal(res.status, 201, res.text);
  return res.body.data.id as number;
}

/** A user whose token is signed here: no bcrypt round trip per test. */
const shopper = async (): Promise<string> => (await makeBuyers(h, 1, 'cart'))[0]!.token;

describe('cart lines', () => {
  test('add accumulates, set replaces, remove and clear empty it; totals are "x.yz"', async () => {
    const token = await shopper();
    const tea = await product('0.10', 'Tea');
    const cup = await product('19.90', 'Cup');

    await h.api.post('/api/cart', { product_id: tea, quantity: 2 }, { token });
    const added = await h.api.post('/api/cart', { product_id: tea, quantity: 1 }, { token });
    assert.equal(added.status, 200);
    assert.deepEqual(added.body.data.items, [
      {
        product_id: tea,
        name: 'Tea',
        unit_price: '0.10',
        quantity: 3,
        subtotal: '0.30',
        stock: 100,
      },
    ]);
    assert.equal(
      added.body.data.total,
      '0.30',
      'three times 0.10 is 0.30, not 0.30000000000000004',
    );

    await h.api.post('/api/cart', { product_id: cup, quantity: 1 }, { token });
    const set = await h.api.put('/api/cart', { product_id: tea, quantity: 7 }, { token });
    assert.equal(set.status, 200);
    assert.deepEqual(
      set.body.data.items.map(
        (line: { product_id: number; quantity: number; subtotal: string }) => [
          line.product_id,
          line.quantity,
          line.subtotal,
        ],
      ),
      [
        [tea, 7, '0.70'],
        [cup, 1, '19.90'],
      ],
    );
    assert.equal(set.body.data.total, '20.60');
    const rows = await h.infra.db('cart_items').where({ product_id: tea });
    assert.equal(rows.length, 1, 'one row per (user, product)');

    const removed = await h.api.delete('/api/cart', { product_id: tea }, { token });
    assert.equal(removed.status, 200);
    assert.deepEqual(
      removed.body.data.items.map((line: { product_id: number }) => line.product_id),
      [cup],
    );
    assert.equal((await h.api.delete('/api/cart', { product_id: tea }, { token })).status, 404);

    const cleared = await h.api.delete('/api/cart/clear', undefined, { token });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body.data.removed, 1);
    const empty = await h.api.get('/api/cart', { token });
    assert.deepEqual(empty.body.data, { items: [], total: '0.00' });
  });

  test('each user sees only their own cart', async () => {
    const [a, b] = [await shopper(), await shopper()];
    const id = await product('1.00');
    await h.api.post('/api/cart', { product_id: id, quantity: 1 }, { token: a });
    assert.equal((await h.api.get('/api/cart', { token: b })).body.data.items.length, 0);
    await h.api.delete('/api/cart/clear', undefined, { token: b });
    assert.equal((await h.api.get('/api/cart', { token: a })).body.data.items.length, 1);
  });

  test('a deleted product leaves the carts holding it', async () => {
    const token = await shopper();
    const id = await product('2.00');
    await h.api.post('/api/cart', { product_id: id, quantity: 2 }, { token });
    await h.api.delete(`/api/product/${id}`, undefined, { token: admin });
    assert.deepEqual((await h.api.get('/api/cart', { token })).body.data, {
      items: [],
      total: '0.00',
    });
  });
});

describe('cart input', () => {
  test('an unknown or deleted product is 404', async () => {
    const token = await shopper();
    assert.equal(
      (await h.api.post('/api/cart', { product_id: 999_999, quantity: 1 }, { token })).status,
      404,
    );
    assert.equal(
      (await h.api.put('/api/cart', { product_id: 999_999, quantity: 1 }, { token })).status,
      404,
    );
    const gone = await product('1.00');
    await h.api.delete(`/api/product/${gone}`, undefined, { token: admin });
    assert.equal(
      (await h.api.post('/api/cart', { product_id: gone, quantity: 1 }, { token })).status,
      404,
    );
  });

  test('quantity is a positive integer within bounds', async () => {
    const token = await shopper();
    const id = await product('1.00');
    for (const quantity of [0, -1, 1.5, '2', 1000, null]) {
      const res = await h.api.post('/api/cart', { product_id: id, quantity }, { token });
      assert.equal(res.status, 400, String(quantity));
      assert.match(res.body.msg, /^quantity:/);
    }
    const missingId = await h.api.post('/api/cart', { quantity: 1 }, { token });
    assert.match(missingId.body.msg, /^product_id:/);
  });

  test('adding past the bound of a line is 400 and changes nothing', async () => {
    const token = await shopper();
    const id = await product('1.00');
    await h.api.post('/api/cart', { product_id: id, quantity: 998 }, { token });
    const over = await h.api.post('/api/cart', { product_id: id, quantity: 2 }, { token });
    assert.equal(over.status, 400);
    assert.equal((await h.api.get('/api/cart', { token })).body.data.items[0].quantity, 998);
  });

  test('the cart needs a user', async () => {
    assert.equal((await h.api.get('/api/cart')).status, 401);
    assert.equal((await h.api.post('/api/cart', { product_id: 1, quantity: 1 })).status, 401);
    assert.equal((await h.api.delete('/api/cart/clear')).status, 401);
  });
});
