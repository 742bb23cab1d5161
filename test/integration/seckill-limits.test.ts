import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.js';
import { makeBuyers, makeProduct } from '../support/seckill.js';

let h: Harness;

before(async () => {
  // The seckill bucket small enough to hit; the others out of the way.
  h = await startHarness({
    ratelimit: {
      enabled: true,
      global: { rate: 10_000, burst: 10_000 },
      api: { rate: 10_000, burst: 10_000 },
      // Refills once in ~17 min: on a busy machine the test must not see a token come back.
      seckill: { rate: 0.001, burst: 3 },
    },
  });
});
after(async () => {
  await h?.close();
});

test('the per-user seckill limit is shared by instances through Redis, and only per user', async () => {
  const admin = await h.newAdmin();
  const productId = await makeProduct(h);
  await h.api.post(
    '/api/seckill/init',
    { product_id: productId, stock: 100, limit_per_user: 100 },
    { token: admin.token },
  );
  const second = await h.secondInstance();
  const [buyer, other] = await makeBuyers(h, 2);
  const buy = (api: typeof h.api, token: string) =>
    api.post('/api/seckill', { product_id: productId }, { token });

  // Burst 3: two on the first instance, one on the second, then the second refuses.
  assert.equal((await buy(h.api, buyer!.token)).status, 202);
  assert.equal((await buy(h.api, buyer!.token)).status, 202);
  assert.equal((await buy(second.api, buyer!.token)).status, 202);
  const limited = await buy(second.api, buyer!.token);
  assert.equal(limited.status, 429);
  assert.equal(limited.body.reason, 'RATE_LIMITED');
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  assert.equal((await buy(h.api, buyer!.token)).status, 429);
  // Another user has a bucket of their own.
  assert.equal((await buy(second.api, other!.token)).status, 202);
  const metrics = await (await fetch(`${h.api.baseUrl}/metrics`)).text();
  assert.match(metrics, /http_requests_rate_limited_total\{limiter="seckill"\} 1/);
});
