import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLogger } from '../../src/infra/logger.js';
import { loadIntoRedis } from '../../src/seckill/activity.js';
import { LoadCode } from '../../src/seckill/codes.js';
import { startConsumer, type RunningConsumer } from '../../src/seckill/consumer/start.js';
import { activityKeys, registryKey } from '../../src/seckill/keys.js';
import { SeckillRepository } from '../../src/seckill/repository.js';
import { seckillStatus } from '../../src/seckill/status.js';
import { startHarness, type Harness } from '../support/harness.js';
import { drained, makeBuyers, makeProduct, redisStock, seckillOrders } from '../support/seckill.js';
import { waitFor } from '../support/wait.js';

let h: Harness;
let consumer: RunningConsumer | undefined;

before(async () => {
  h = await startHarness({ ratelimit: { enabled: false }, seckill: { warm_interval_ms: 100 } });
});
after(async () => {
  await consumer?.stop();
  await h?.close();
});

async function warmed(productId: number): Promise<boolean> {
  const status = await seckillStatus(
    h.config,
    h.infra.redis,
    new SeckillRepository(h.infra.db),
    productId,
  );
  return status.activities[0]!.warmed;
}

test('a scheduled activity Redis lost is warmed by consume and sells at its start, without a new init', async () => {
  const admin = await h.newAdmin();
  const productId = await makeProduct(h);
  // Far enough ahead for a consumer to start on a busy machine: a live activity is not warmed.
  const startAt = new Date(Date.now() + 10_000);
  const init = await h.api.post(
    '/api/seckill/init',
    { product_id: productId, stock: 3, start_at: startAt.toISOString() },
    { token: admin.token },
  );
  assert.equal(init.status, 201, init.text);

  // Redis loses the activity (restarted empty): nothing sells, status says it is not warmed.
  const keys = activityKeys(h.config.redis.key_prefix, productId);
  await h.infra.redis.del(keys.meta, keys.stock, keys.buyers);
  await h.infra.redis.srem(registryKey(h.config.redis.key_prefix), String(productId));
  assert.equal(await warmed(productId), false);
  const [buyer, other] = await makeBuyers(h, 2);
  const early = await h.api.post('/api/seckill', { product_id: productId }, buyer);
  assert.equal(early.status, 503);

  consumer = await startConsumer(h.config, createLogger({ level: 'silent' }));
  await waitFor(() => warmed(productId), 10_000, 'the activity to be warmed');
  assert.equal(await redisStock(h, productId), 3);

  // Live at start_at: the buy that was refused is accepted once the window opens.
  const bought = await waitFor(
    async () => {
      const res = await h.api.post('/api/seckill', { product_id: productId }, buyer);
      if (res.status === 409) assert.equal(res.body.reason, 'NOT_STARTED');
      return res.status === 202 ? res : null;
    },
    15_000,
    'the sale to open',
  );
  assert.ok(Date.now() >= startAt.getTime());
  await drained(h, productId);
  assert.deepEqual(
    (await seckillOrders(h, productId)).map((o) => o.order_no),
    [bought.body.data.order_no],
  );

  // Loading twice is harmless: a warm load of the same generation changes nothing, even
  // after sales (the stock and the buyer's slot stay).
  const row = (await new SeckillRepository(h.infra.db).findActivity(productId))!;
  const again = await loadIntoRedis(h.infra.redis, h.config.redis.key_prefix, row, 3, {
    onlyIfMissing: true,
  });
  assert.equal(again, LoadCode.AlreadyLoaded);
  assert.deepEqual(await consumer.warmer.warmOnce(), []);
  assert.equal(await redisStock(h, productId), 2);
  const twice = await h.api.post('/api/seckill', { product_id: productId }, buyer);
  assert.equal(twice.body.reason, 'ALREADY_PURCHASED');
  assert.equal((await h.api.post('/api/seckill', { product_id: productId }, other)).status, 202);
});
