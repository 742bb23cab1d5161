import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.js';
import { makeBuyers, makeProduct, redisStock } from '../support/seckill.js';

let h: Harness;

before(async () => {
  // The lean handler off: POST /api/seckill is served by the express route.
  h = await startHarness({ ratelimit: { enabled: false }, seckill: { hot_path: false } });
});
after(async () => {
  await h?.close();
});

test('with seckill.hot_path off, the express route answers POST /api/seckill alike', async () => {
  const admin = await h.newAdmin();
  const productId = await makeProduct(h);
  await h.api.post(
    '/api/seckill/init',
    { product_id: productId, stock: 5 },
    { token: admin.token },
  );
  const [buyer] = await makeBuyers(h, 1);
  const first = await h.api.post(
    '/api/seckill',
    { product_id: productId },
    { token: buyer!.token, headers: { 'x-request-id': 'express-path-1' } },
  );
  assert.equal(first.status, 202);
  assert.deepEqual(Object.keys(first.body.data).sort(), ['order_no', 'status']);
  assert.equal(first.headers.get('x-request-id'), 'express-path-1');
  const again = await h.api.post(
    '/api/seckill',
    { product_id: productId },
    { token: buyer!.token },
  );
  assert.equal(again.status, 409);
  assert.equal(again.body.reason, 'ALREADY_PURCHASED');
  const bad = await h.api.post('/api/seckill', { product_id: 'x' }, { token: buyer!.token });
  assert.equal(bad.status, 400);
  assert.match(bad.body.msg, /^product_id:/);
  assert.equal((await h.api.post('/api/seckill', { product_id: productId })).status, 401);
  assert.equal(await redisStock(h, productId), 4);
  const metrics = await (await fetch(`${h.api.baseUrl}/metrics`)).text();
  // Labelled by express's route pattern: the lean handler is not what answered.
  assert.match(
    metrics,
    /http_request_duration_seconds_count\{method="POST",route="\/api\/seckill\/",status_code="202"\} 1/,
  );
});
