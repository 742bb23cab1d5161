import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../src/infra/logger.js';
import { startConsumer, type RunningConsumer } from '../../src/seckill/consumer/start.js';
import { activityKeys } from '../../src/seckill/keys.js';
import { LoadCode } from '../../src/seckill/codes.js';
import { scriptsOn } from '../../src/seckill/scripts.js';
import { envFor, exitOf, runCli, spawnCli } from '../support/cli.js';
import { startHarness, type Harness } from '../support/harness.js';
import { drained, makeBuyers, makeProduct, redisStock, seckillOrders } from '../support/seckill.js';
import { waitFor } from '../support/wait.js';

let h: Harness;
let consumer: RunningConsumer;
let admin: string;

before(async () => {
  h = await startHarness({ ratelimit: { enabled: false } });
  consumer = await startConsumer(h.config, createLogger({ level: 'silent' }));
  admin = (await h.newAdmin()).token;
});
after(async () => {
  await consumer?.stop();
  await h?.close();
});

const cli = (args: string[]) => runCli(args, envFor(h.config));

/**
 * `gomall seckill init` SIGKILLed at a crash point: GOMALL_PAUSE_AT makes it stop there and
 * say so on stderr, so the kill lands exactly between the two writes, with no sleep.
 */
async function initKilledAt(point: string, productId: number, stock: number): Promise<void> {
  const child = spawnCli(
    ['seckill', 'init', '--product', String(productId), '--stock', String(stock), '--yes'],
    envFor(h.config, { GOMALL_PAUSE_AT: point }),
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await waitFor(
      async () => stderr.includes(`paused at ${point}`) || child.exitCode !== null,
      60_000,
      `init to reach ${point}`,
    );
    assert.ok(stderr.includes(`paused at ${point}`), `init did not pause: ${stderr}`);
  } finally {
    child.kill('SIGKILL');
  }
  assert.equal(await exitOf(child), null, 'killed by the signal');
}

async function init(productId: number, stock: number): Promise<void> {
  const res = await h.api.post(
    '/api/seckill/init',
    { product_id: productId, stock, limit_per_user: 1 },
    { token: admin },
  );
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

/** One buy each, in order; the statuses. */
async function buy(productId: number, buyers: Array<{ token: string }>): Promise<number[]> {
  const statuses: number[] = [];
  for (const buyer of buyers)
    statuses.push(
      (await h.api.post('/api/seckill', { product_id: productId }, { token: buyer.token })).status,
    );
  return statuses;
}

async function activityRow(productId: number) {
  return (await h.infra.db('seckill_activities').where({ product_id: productId }).first()) as {
    generation: number;
    stock: number;
    total_stock: number;
  };
}

const sold = async (productId: number) =>
  (await seckillOrders(h, productId)).filter((o) => o.status !== 'cancelled').length;

describe('a re-init killed between its MySQL and Redis writes', () => {
  test('after the MySQL commit: nothing sells until reconcile --fix loads the new round, and nothing oversells', async () => {
    const productId = await makeProduct(h);
    await init(productId, 5);
    assert.deepEqual(await buy(productId, await makeBuyers(h, 2)), [202, 202]);
    await drained(h, productId, 30_000);

    // A new round of 1 unit; the process dies after MySQL committed it, before Redis loaded it.
    await initKilledAt('seckill-init-committed', productId, 1);
    const row = await activityRow(productId);
    assert.deepEqual([row.generation, row.stock, row.total_stock], [2, 1, 3], 'MySQL committed');
    assert.equal(await redisStock(h, productId), 3, "Redis still holds the old round's 3 units");

    // Before the fix Redis sold those 3 units against MySQL's 1: 5 sold of a total of 3.
    const buyers = await makeBuyers(h, 3);
    assert.deepEqual(await buy(productId, buyers), [503, 503, 503], 'fenced: 503 BUSY');
    assert.equal(await redisStock(h, productId), 3, 'nothing was reserved');

    const found = await cli(['seckill', 'reconcile', '--product', String(productId), '--json']);
    const report = JSON.parse(found.stdout) as { differences: Array<{ what: string }> };
    assert.deepEqual(
      report.differences.map((d) => d.what),
      ['fenced'],
    );
    const fixed = await cli([
      'seckill',
      'reconcile',
      '--product',
      String(productId),
      '--fix',
      '--json',
    ]);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.equal(await redisStock(h, productId), 1, 'the new round, from MySQL');

    assert.deepEqual((await buy(productId, buyers)).sort(), [202, 409, 409]);
    await drained(h, productId, 30_000);
    assert.equal(await sold(productId), 3, 'sold = total_stock: no oversell');
    assert.equal((await activityRow(productId)).stock, 0);
    assert.equal(await redisStock(h, productId), 0);
  });

  test('inside the MySQL transaction: MySQL keeps the old round, nothing sells, and the next init heals it', async () => {
    const productId = await makeProduct(h);
    await init(productId, 4);
    assert.deepEqual(await buy(productId, await makeBuyers(h, 1)), [202]);
    await drained(h, productId, 30_000);

    await initKilledAt('seckill-init-fenced', productId, 10);
    const row = await waitFor(
      async () => {
        // The killed connection's transaction is rolled back by MySQL.
        const current = await activityRow(productId);
        return current.generation === 1 ? current : null;
      },
      30_000,
      'the transaction to be rolled back',
    );
    assert.deepEqual([row.stock, row.total_stock], [3, 4]);

    const buyers = await makeBuyers(h, 3);
    assert.deepEqual(await buy(productId, buyers), [503, 503, 503], 'fenced: 503 BUSY');

    const next = await cli([
      'seckill',
      'init',
      '--product',
      String(productId),
      '--stock',
      '2',
      '--yes',
      '--json',
    ]);
    assert.equal(next.code, 0, next.stderr);
    const view = JSON.parse(next.stdout) as { generation: number; remaining: number };
    assert.equal(view.generation, 3, 'above the generation the dead init fenced with');
    assert.equal(view.remaining, 2);

    assert.deepEqual((await buy(productId, buyers)).sort(), [202, 202, 409]);
    await drained(h, productId, 30_000);
    const healed = await activityRow(productId);
    assert.equal(await sold(productId), 3);
    assert.equal(healed.total_stock, 3, 'the new round: 2 + the 1 sold before');
    assert.equal(healed.stock, 0);
  });

  test('Redis ahead of MySQL (a newer generation): reconcile reports it, a stale load is refused, the next init goes above both', async () => {
    const productId = await makeProduct(h);
    await init(productId, 2);
    const keys = activityKeys(h.config.redis.key_prefix, productId);
    // As after MySQL was restored from a backup older than the last init.
    await h.infra.redis.hset(keys.meta, 'generation', '7');

    const found = await cli(['seckill', 'reconcile', '--product', String(productId), '--json']);
    const report = JSON.parse(found.stdout) as {
      differences: Array<{ what: string; redis: string }>;
    };
    assert.deepEqual(
      report.differences.map((d) => [d.what, d.redis]),
      [['meta', 'generation=7']],
    );

    // A slow init of an older round cannot load over the newer one.
    const row = await activityRow(productId);
    const stale = await scriptsOn(h.infra.redis).load({
      keys,
      startMs: Date.now(),
      endMs: Date.now() + 60_000,
      limitPerUser: 1,
      activityId: 1,
      productId,
      priceCents: 990,
      generation: row.generation,
      stock: 100,
    });
    assert.equal(stale, LoadCode.Stale);
    assert.equal(await redisStock(h, productId), 2, 'unchanged');

    const next = await cli([
      'seckill',
      'init',
      '--product',
      String(productId),
      '--stock',
      '1',
      '--json',
    ]);
    assert.equal(next.code, 0, next.stderr);
    assert.equal((JSON.parse(next.stdout) as { generation: number }).generation, 8);
    assert.equal((await activityRow(productId)).generation, 8);
    assert.equal(await h.infra.redis.hget(keys.meta, 'generation'), '8');
    const clean = await cli(['seckill', 'reconcile', '--product', String(productId), '--json']);
    assert.deepEqual((JSON.parse(clean.stdout) as { differences: unknown[] }).differences, []);
  });
});
