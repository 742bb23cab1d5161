import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLogger } from '../../src/infra/logger.js';
import { startConsumer, type RunningConsumer } from '../../src/seckill/consumer/start.js';
import { activityKeys } from '../../src/seckill/keys.js';
import { envFor, runCli } from '../support/cli.js';
import { startHarness, type Harness } from '../support/harness.js';
import { drained, makeBuyers, makeProduct, redisStock } from '../support/seckill.js';

let h: Harness;
let consumer: RunningConsumer;

before(async () => {
  h = await startHarness({ ratelimit: { enabled: false } });
  consumer = await startConsumer(h.config, createLogger({ level: 'silent' }));
});
after(async () => {
  await consumer?.stop();
  await h?.close();
});

const run = (args: string[]) => runCli(args, envFor(h.config));

test('seckill init, status and reconcile from the CLI', async () => {
  const productId = await makeProduct(h);
  const first = await run([
    'seckill',
    'init',
    '--product',
    String(productId),
    '--stock',
    '20',
    '--json',
  ]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(JSON.parse(first.stdout).remaining, 20);

  const [buyer] = await makeBuyers(h, 1);
  assert.equal(
    (await h.api.post('/api/seckill', { product_id: productId }, { token: buyer!.token })).status,
    202,
  );
  await drained(h, productId);

  // An activity with sales: no terminal, no --yes → refused in one line, nothing changed.
  const refused = await run(['seckill', 'init', '--product', String(productId), '--stock', '50']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /^gomall: .*--yes/);
  assert.equal(refused.stderr.trim().split('\n').length, 1);
  assert.equal(await redisStock(h, productId), 19);

  const [status, clean] = await Promise.all([
    run(['seckill', 'status', '--product', String(productId), '--json']),
    run(['seckill', 'reconcile', '--json']),
  ]);
  assert.equal(status.code, 0, status.stderr);
  const shown = JSON.parse(status.stdout);
  assert.deepEqual(
    {
      stock: shown.activities[0].stock,
      sold: shown.activities[0].sold,
      mysql: shown.activities[0].mysql_stock,
      pending: shown.activities[0].pending,
    },
    { stock: 19, sold: 1, mysql: 19, pending: 0 },
  );
  assert.equal(typeof shown.queues.orders, 'number');
  assert.equal(clean.code, 0, clean.stderr);
  assert.deepEqual(JSON.parse(clean.stdout).differences, []);

  // A unit changed by hand in Redis: found, exit 1; --fix repairs it.
  await h.infra.redis.incr(activityKeys(h.config.redis.key_prefix, productId).stock);
  const found = await run(['seckill', 'reconcile', '--json']);
  assert.equal(found.code, 1);
  const report = JSON.parse(found.stdout);
  assert.equal(report.differences.length, 1);
  assert.deepEqual(
    {
      what: report.differences[0].what,
      redis: report.differences[0].redis,
      mysql: report.differences[0].mysql,
      fixed: false,
    },
    { what: 'stock', redis: 20, mysql: 19, fixed: false },
  );
  const fixed = await run(['seckill', 'reconcile', '--fix', '--json']);
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.equal(JSON.parse(fixed.stdout).differences[0].fixed, true);
  assert.equal(await redisStock(h, productId), 19);

  const again = await run([
    'seckill',
    'init',
    '--product',
    String(productId),
    '--stock',
    '50',
    '--yes',
  ]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /50 on sale/);
  assert.equal(await redisStock(h, productId), 50);
});
