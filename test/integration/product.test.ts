import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let admin: string;
let user: string;

before(async () => {
  h = await startHarness();
  admin = (await h.newAdmin()).token;
  user = (await h.api.newUser('shopper')).token;
});
after(async () => {
  await h.close();
});

const createProduct = async (body: Record<string, unknown> = {}) => {
  const res = await h.api.post(
    '/api/product',
    { name: 'Tea', price: '19.90', stock: 5, ...body },
    { token: admin },
  );
  assert.equal(res.status, 201, res.text);
  return res.body.data as { id: number; name: string; price: string; stock: number };
};

const cacheKey = (id: number) => `${h.config.redis.key_prefix}product:${id}`;

/** Counts the SELECTs this app sends to `products` for one id, through the shared knex. */
function countProductReads(id: number): { readonly count: number; stop(): void } {
  let count = 0;
  const listener = (query: { sql: string; bindings?: unknown[] }) => {
    if (/^select .* from `products`/i.test(query.sql) && query.bindings?.includes(id)) count += 1;
  };
  h.deps.db.on('query', listener);
  return {
    get count() {
      return count;
    },
    stop: () => h.deps.db.off('query', listener),
  };
}

describe('admin writes', () => {
  test('an admin creates, updates and deletes; money goes out as "x.yz"', async () => {
    const created = await createProduct({ name: 'Green tea', price: 19.9, category: 'drinks' });
    assert.equal(created.price, '19.90');
    assert.equal(created.stock, 5);

    const updated = await h.api.put(
      `/api/product/${created.id}`,
      { price: '0.10', description: 'loose leaf' },
      { token: admin },
    );
    assert.equal(updated.status, 200);
    assert.equal(updated.body.data.price, '0.10');
    assert.equal(updated.body.data.description, 'loose leaf');
    assert.equal(updated.body.data.name, 'Green tea', 'fields left out stay');

    const deleted = await h.api.delete(`/api/product/${created.id}`, undefined, { token: admin });
    assert.equal(deleted.status, 200);
    assert.equal((await h.api.get(`/api/product/${created.id}`)).status, 404);
    assert.equal(
      (await h.api.delete(`/api/product/${created.id}`, undefined, { token: admin })).status,
      404,
    );
    const row = await h.infra.db('products').where({ id: created.id }).first();
    assert.ok(row.deleted_at, 'soft delete keeps the row for past orders');
  });

  test('a plain user gets 403 and an anonymous caller 401', async () => {
    const { id } = await createProduct();
    const body = { name: 'Nope', price: '1.00', stock: 1 };
    for (const [token, status, reason] of [
      [user, 403, 'FORBIDDEN'],
      [undefined, 401, 'UNAUTHORIZED'],
    ] as const) {
      const options = token ? { token } : {};
      for (const res of [
        await h.api.post('/api/product', body, options),
        await h.api.put(`/api/product/${id}`, { price: '0.01' }, options),
        await h.api.delete(`/api/product/${id}`, undefined, options),
      ]) {
        assert.equal(res.status, status);
        assert.equal(res.body.reason, reason);
      }
    }
    assert.equal((await h.api.get(`/api/product/${id}`)).body.data.price, '19.90');
  });

  test('bad input is 400 naming the field', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ price: '1.00', stock: 1 }, /^name:/],
      [{ name: 'x', price: 'abc', stock: 1 }, /^price:/],
      [{ name: 'x', price: '1.999', stock: 1 }, /^price:/],
      [{ name: 'x', price: '-1', stock: 1 }, /^price:/],
      [{ name: 'x', price: '1.00', stock: -1 }, /^stock:/],
      [{ name: 'x', price: '1.00', stock: 1.5 }, /^stock:/],
      [{ name: 'x', price: '1.00', stock: 1, image_url: 'not a url' }, /^image_url:/],
    ];
    for (const [body, message] of cases) {
      const res = await h.api.post('/api/product', body, { token: admin });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.reason, 'VALIDATION_ERROR');
      assert.match(res.body.msg, message);
    }
    const { id } = await createProduct();
    const empty = await h.api.put(`/api/product/${id}`, {}, { token: admin });
    assert.equal(empty.status, 400);
  });
});

describe('ids in paths', () => {
  test('anything but a positive integer is 400', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '1e3', '99999999999999999999']) {
      const res = await h.api.get(`/api/product/${id}`);
      assert.equal(res.status, 400, id);
      assert.match(res.body.msg, /^id:/);
    }
    const put = await h.api.put('/api/product/abc', { price: '1.00' }, { token: admin });
    assert.equal(put.status, 400);
  });
});

describe('listing', () => {
  before(async () => {
    for (const name of [
      'Keyword apple',
      'Keyword pear',
      'Keyword plum',
      '100% cotton',
      '100 cotton',
    ]) {
      await createProduct({ name });
    }
  });

  test('pages are bounded and carry the total', async () => {
    const first = await h.api.get('/api/product?keyword=Keyword&page=1&page_size=2');
    assert.equal(first.status, 200);
    assert.deepEqual(
      {
        total: first.body.data.total,
        page: first.body.data.page,
        page_size: first.body.data.page_size,
        n: first.body.data.items.length,
      },
      { total: 3, page: 1, page_size: 2, n: 2 },
    );
    const second = await h.api.get('/api/product?keyword=Keyword&page=2&page_size=2');
    assert.equal(second.body.data.items.length, 1);
    const names = [...first.body.data.items, ...second.body.data.items]
      .map((p: { name: string }) => p.name)
      .sort();
    assert.deepEqual(names, ['Keyword apple', 'Keyword pear', 'Keyword plum']);

    for (const query of ['page_size=101', 'page_size=0', 'page=0', 'page=abc', 'page_size=-5']) {
      const res = await h.api.get(`/api/product?${query}`);
      assert.equal(res.status, 400, query);
    }
  });

  test('a keyword matches literally, wildcards included', async () => {
    const res = await h.api.get(`/api/product?keyword=${encodeURIComponent('100%')}`);
    assert.deepEqual(
      res.body.data.items.map((p: { name: string }) => p.name),
      ['100% cotton'],
    );
  });

  test('deleted products leave the list', async () => {
    const { id } = await createProduct({ name: 'Vanishing cream' });
    await h.api.delete(`/api/product/${id}`, undefined, { token: admin });
    const res = await h.api.get('/api/product?keyword=Vanishing');
    assert.equal(res.body.data.total, 0);
  });
});

describe('detail cache', () => {
  test('detail is cached, and an update shows at once', async () => {
    const { id } = await createProduct({ name: 'Cached', price: '5.00' });
    assert.equal((await h.api.get(`/api/product/${id}`)).body.data.price, '5.00');
    assert.ok(await h.infra.redis.get(cacheKey(id)), 'the read filled the cache');

    const reads = countProductReads(id);
    assert.equal((await h.api.get(`/api/product/${id}`)).body.data.price, '5.00');
    assert.equal(reads.count, 0, 'a cached detail does not reach MySQL');

    await h.api.put(`/api/product/${id}`, { price: '6.50', stock: 42 }, { token: admin });
    const after = await h.api.get(`/api/product/${id}`);
    reads.stop();
    assert.equal(after.body.data.price, '6.50');
    assert.equal(after.body.data.stock, 42);
  });

  test('an unknown id is cached briefly as a miss', async () => {
    const id = 987_654;
    const reads = countProductReads(id);
    assert.equal((await h.api.get(`/api/product/${id}`)).status, 404);
    assert.equal((await h.api.get(`/api/product/${id}`)).status, 404);
    reads.stop();
    assert.equal(reads.count, 1, 'the second 404 came from Redis');
    const ttl = await h.infra.redis.ttl(cacheKey(id));
    assert.ok(ttl > 0 && ttl <= h.config.cache.product_miss_ttl_seconds, `miss TTL ${ttl}`);
  });

  test('a product created after its id was asked for is not hidden by the cached miss', async () => {
    const { id } = await createProduct();
    assert.equal((await h.api.get(`/api/product/${id + 1}`)).status, 404);
    const next = await createProduct({ name: 'Newcomer' });
    assert.equal(next.id, id + 1);
    const res = await h.api.get(`/api/product/${next.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.data.name, 'Newcomer');
  });

  test('concurrent misses on one id make one database read', async () => {
    // Straight into MySQL: the API's create schedules a second cache DELETE 500 ms later,
    // which on a busy machine can land mid-burst and make a legitimate second read.
    const [id] = await h.deps.db('products').insert({ name: 'Popular', price: '19.90', stock: 5 });
    assert.equal(await h.infra.redis.exists(cacheKey(Number(id))), 0);
    const reads = countProductReads(Number(id));
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => h.api.get(`/api/product/${Number(id)}`)),
    );
    reads.stop();
    assert.ok(answers.every((res) => res.status === 200 && res.body.data.name === 'Popular'));
    assert.equal(reads.count, 1);
  });
});
