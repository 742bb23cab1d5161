import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BenchResult } from '../../src/bench/types.js';
import type { SaleVerification } from '../../src/bench/verify/verify-sales.js';
import { createDb } from '../../src/infra/db.js';
import { envFor, runCli } from '../support/cli.js';
import { dropIsolation } from '../support/cleanup.js';
import { testConfig } from '../support/config.js';

const config = testConfig();
const env = envFor(config);

const gomall = (args: string[]) => runCli(args, env);

describe('gomall bench', () => {
  let dir: string;
  let result: BenchResult;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gomall-bench-test-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await dropIsolation(config);
  });

  // With anti-bot tokens: every buyer fetches its one-time token, then buys with it.
  test('300 buyers rush 50 units of an anti-bot sale through serve and consume: exit 0, every invariant holds, 50 orders', async () => {
    const report = join(dir, 'report.html');
    const run = await gomall([
      'bench',
      '--buyers',
      '300',
      '--stock',
      '50',
      '--anti-bot',
      'path',
      '--no-baselines',
      '--report',
      report,
      '--json',
    ]);
    result = JSON.parse(run.stdout) as BenchResult;
    // 99 is the scenario's latency threshold failing on a busy machine: speed is not asserted here.
    assert.equal(
      run.code,
      result.load.thresholds_failed ? 99 : 0,
      `exit ${run.code}: ${run.stderr}`,
    );
    assert.equal(result.exit_code, run.code);
    assert.equal(result.managed, true);
    assert.deepEqual(
      result.phases.map((p) => p.phase),
      ['prepare', 'start', 'load', 'drain', 'verify', 'stop', 'baselines', 'report'],
    );
    assert.match(result.buyers_prefix, /^bench_[0-9a-f]{8}_$/);
    assert.equal(result.buyers_reused, false);
    for (const invariant of result.invariants)
      assert.equal(invariant.status, 'PASS', `${invariant.id}: ${invariant.detail}`);
    assert.deepEqual(
      result.invariants.map((i) => i.id),
      [
        'no_oversell',
        'no_undersell',
        'nothing_lost',
        'no_duplicate',
        'redis_conserved',
        'mysql_stock',
      ],
    );
    const sale = result.sales[0]!;
    assert.equal(sale.order_rows, 50);
    assert.equal(sale.sold, 50);
    assert.equal(sale.redis_stock, 0);
    assert.equal(result.anti_bot, 'path');
    assert.equal(result.load.requests, 600, 'a token request and a buy per buyer');
    assert.equal(result.load.iterations, 300);
    assert.equal(result.load.by_status['202'], 50);
    assert.equal(result.load.by_reason['sold_out'], 250);
    assert.equal(result.drain.drained, true);
    assert.deepEqual(result.limits.lifted, ['global', 'api']);
    const roles = result.memory?.processes.map((p) => p.role) ?? [];
    assert.ok(
      roles.includes('serve') && roles.includes('consume'),
      `memory sampled for ${roles.join(', ')}`,
    );
    const html = await readFile(report, 'utf8');
    assert.match(html, /<svg /);
    assert.match(html, /every invariant holds/);
  });

  test('bench verify fails, naming the duplicate and the oversell, once a buyer holds a second order', async () => {
    assert.ok(result, 'needs the bench run above');
    const sale = result.sales[0]!;
    const db = createDb(config.database);
    try {
      const order = (await db('orders')
        .where({ activity_id: sale.activity_id })
        .orderBy('id')
        .first()) as {
        user_id: number;
        total_amount: string;
      };
      // A second unit for the same buyer, beyond the 50 on sale: what a duplicated message would do.
      const [id] = await db('orders').insert({
        order_no: `TEST${Date.now()}`,
        user_id: order.user_id,
        kind: 'seckill',
        status: 'pending',
        total_amount: order.total_amount,
        activity_id: sale.activity_id,
        buyer_slot: 2,
      });
      await db('order_items').insert({
        order_id: id,
        product_id: sale.product_id,
        product_name: 'extra',
        unit_price: order.total_amount,
        quantity: 1,
        subtotal: order.total_amount,
      });
    } finally {
      await db.destroy();
    }

    const json = await gomall(['bench', 'verify', '--product', String(sale.product_id), '--json']);
    assert.equal(json.code, 1, json.stderr);
    const verification = JSON.parse(json.stdout) as SaleVerification;
    const status = Object.fromEntries(verification.invariants.map((i) => [i.id, i.status]));
    assert.equal(status['no_duplicate'], 'FAIL');
    assert.equal(status['no_oversell'], 'FAIL');
    assert.equal(status['nothing_lost'], 'SKIP');
    assert.match(
      verification.invariants.find((i) => i.id === 'no_oversell')!.detail,
      /sold 51 > stock 50/,
    );

    const text = await gomall(['bench', 'verify', '--product', String(sale.product_id)]);
    assert.equal(text.code, 1);
    assert.match(
      text.stdout,
      /FAIL: no_oversell, no_duplicate, redis_conserved, mysql_stock broken/,
    );
  });

  test('bench verify of a product without a sale is one line and exit 1', async () => {
    const run = await gomall(['bench', 'verify', '--product', '999999']);
    assert.equal(run.code, 1);
    assert.equal(run.stderr.trim(), 'gomall: product 999999 has no seckill activity');
  });
});
