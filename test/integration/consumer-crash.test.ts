import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLogger } from '../../src/infra/logger.js';
import { startConsumer, type RunningConsumer } from '../../src/seckill/consumer/start.js';
import { activityKeys } from '../../src/seckill/keys.js';
import { envFor, exitOf, spawnCli, waitForLog } from '../support/cli.js';
import { startHarness, type Harness } from '../support/harness.js';
import { drained, inParallel, makeBuyers, makeProduct, seckillOrders } from '../support/seckill.js';
import { waitFor } from '../support/wait.js';

const BUYERS = 1000;
let h: Harness;
let consumer: RunningConsumer | undefined;

before(async () => {
  h = await startHarness({ ratelimit: { enabled: false } });
});
after(async () => {
  await consumer?.stop();
  await h?.close();
});

/** A sale of BUYERS units, all bought while no consumer runs: the queue holds BUYERS orders. */
async function filledQueue(): Promise<{ productId: number; accepted: string[] }> {
  const admin = await h.newAdmin();
  const productId = await makeProduct(h);
  await h.api.post(
    '/api/seckill/init',
    { product_id: productId, stock: BUYERS },
    { token: admin.token },
  );
  const buyers = await makeBuyers(h, BUYERS);
  const answers = await inParallel(buyers, 50, (b) =>
    h.api.post('/api/seckill', { product_id: productId }, { token: b.token }),
  );
  const accepted = answers
    .filter((a) => a.status === 202)
    .map((a) => a.body.data.order_no as string);
  assert.equal(accepted.length, BUYERS);
  return { productId, accepted };
}

/** `gomall consume` with small batches, so a drain lasts long enough to be cut in the middle. */
async function cliConsumerMidDrain(productId: number) {
  const child = spawnCli(
    ['consume', '--no-sweeper'],
    envFor(h.config, {
      GOMALL_LOG__LEVEL: 'info',
      GOMALL_SECKILL__BATCH_SIZE: '5',
      GOMALL_SECKILL__PREFETCH: '10',
      GOMALL_SECKILL__CONSUMER_CONCURRENCY: '1',
    }),
  );
  try {
    await waitForLog(child, (line) => line['msg'] === 'seckill consumer ready');
    await waitFor(
      async () => (await seckillOrders(h, productId)).length > 0,
      15_000,
      'the first orders',
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return child;
}

test('SIGTERM mid-drain: the batch in hand is committed, cleaned up and acked, and the process exits 0', async () => {
  const { productId } = await filledQueue();
  const child = await cliConsumerMidDrain(productId);
  child.kill('SIGTERM');
  assert.equal(await exitOf(child), 0);
  const orders = await seckillOrders(h, productId);
  assert.ok(orders.length < BUYERS, `the drain was over (${orders.length}) before the signal`);
  // Nothing half done: every order row has its pending record cleared, nothing stays claimed.
  const keys = activityKeys(h.config.redis.key_prefix, productId);
  assert.equal(await h.infra.redis.hlen(keys.claims), 0);
  assert.equal(await h.infra.redis.hlen(keys.pending), BUYERS - orders.length);
});

test('SIGKILL mid-drain, then a restart: every 202 has exactly one order row', async () => {
  const { productId, accepted } = await filledQueue();
  const child = await cliConsumerMidDrain(productId);
  try {
    child.kill('SIGKILL');
    assert.equal(await exitOf(child), null);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  const atKill = (await seckillOrders(h, productId)).length;
  assert.ok(atKill < BUYERS, `the drain was over (${atKill}) before the kill`);

  consumer = await startConsumer(h.config, createLogger({ level: 'silent' }));
  await drained(h, productId, 20_000);
  const orders = await seckillOrders(h, productId);
  assert.equal(orders.length, BUYERS);
  assert.deepEqual(new Set(orders.map((o) => o.order_no)), new Set(accepted));
  assert.equal(new Set(orders.map((o) => o.user_id)).size, BUYERS);
});
