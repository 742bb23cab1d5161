// The shipped k6 scenarios (scenarios/*.ts) run unchanged on the engine against a fake gomall
// API on loopback: data file via GOMALL_DATA, outcome counters, expected statuses, summary file.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario, type EngineResult, type K6Summary } from '../../src/bench/engine/index.js';
import {
  sendJson,
  startLocalServer,
  type LocalServer,
} from '../fixtures/scenarios/local-server.js';

const scenario = (name: string): string =>
  fileURLToPath(new URL(`../../scenarios/${name}`, import.meta.url));
const STOCK_PER_PRODUCT = 5;
const BUYERS = 20;

let server: LocalServer;
let dir: string;
let dataFile: string;
// The fake API's state, fresh for every test.
const stock = new Map<number, number>();
const bought = new Set<string>();

/** A fake seckill API: stock per product, one unit per buyer, buyer 19 rate limited, buyer 20 busy. */
function fakeGomall(): Parameters<typeof startLocalServer>[0] {
  return (req, body, res) => {
    const auth = req.headers.authorization ?? '';
    const buyer = Number(auth.replace('Bearer token-', ''));
    if (req.method === 'POST' && req.url === '/api/seckill') {
      if (!auth.startsWith('Bearer token-'))
        return sendJson(res, 401, {
          code: 401,
          msg: 'no token',
          data: null,
          reason: 'UNAUTHORIZED',
        });
      const product = (JSON.parse(body) as { product_id: number }).product_id;
      if (buyer === 19)
        return sendJson(res, 429, {
          code: 429,
          msg: 'slow down',
          data: null,
          reason: 'RATE_LIMITED',
        });
      if (buyer === 20)
        return sendJson(res, 503, { code: 503, msg: 'busy', data: null, reason: 'BUSY' });
      const key = `${product}:${buyer}`;
      if (bought.has(key))
        return sendJson(res, 409, {
          code: 409,
          msg: 'once',
          data: null,
          reason: 'ALREADY_PURCHASED',
        });
      const left = stock.get(product) ?? STOCK_PER_PRODUCT;
      if (left === 0)
        return sendJson(res, 409, { code: 409, msg: 'gone', data: null, reason: 'SOLD_OUT' });
      stock.set(product, left - 1);
      bought.add(key);
      return sendJson(res, 202, {
        code: 202,
        msg: 'queued',
        data: { status: 'queued', order_no: `o-${key}` },
      });
    }
    if (req.method === 'GET' && req.url?.startsWith('/api/product?')) {
      return sendJson(res, 200, {
        code: 200,
        msg: 'ok',
        data: { items: [{ id: 101 }, { id: 102 }], total: 2, page: 1, page_size: 20 },
      });
    }
    if (req.method === 'GET' && req.url?.startsWith('/api/product/'))
      return sendJson(res, 200, { code: 200, msg: 'ok', data: { id: 101 } });
    if (req.method === 'POST' && req.url === '/api/cart')
      return sendJson(res, 201, { code: 201, msg: 'added', data: null });
    if (req.method === 'POST' && req.url === '/api/order')
      return sendJson(res, 201, { code: 201, msg: 'created', data: { order_no: 'x' } });
    return sendJson(res, 404, { code: 404, msg: 'no route', data: null, reason: 'NOT_FOUND' });
  };
}

before(async () => {
  server = await startLocalServer(fakeGomall());
  dir = await mkdtemp(join(tmpdir(), 'bench-engine-scenarios-'));
  dataFile = join(dir, 'data.json');
  const buyers = Array.from({ length: BUYERS }, (_, i) => ({ id: i + 1, token: `token-${i + 1}` }));
  await writeFile(
    dataFile,
    JSON.stringify({ baseUrl: `${server.baseUrl}/`, products: [101, 102, 103], buyers }),
  );
});

beforeEach(() => {
  stock.clear();
  bought.clear();
});

after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function run(file: string, env: Record<string, string> = {}): Promise<EngineResult> {
  return runScenario({
    file: scenario(file),
    systemEnv: false,
    env: { GOMALL_DATA: dataFile, GOMALL_SUMMARY: join(dir, 'summary.json'), VUS: '4', ...env },
    log: () => {},
  });
}

const count = (r: EngineResult, name: string): number =>
  r.summary.metrics[name]?.values['count'] ?? 0;

test('flash-sale: one attempt per buyer, outcomes counted by reason', async () => {
  const result = await run('flash-sale.ts');
  assert.equal(count(result, 'iterations'), BUYERS);
  assert.equal(count(result, 'seckill_queued'), STOCK_PER_PRODUCT);
  assert.equal(count(result, 'seckill_sold_out'), BUYERS - 2 - STOCK_PER_PRODUCT);
  assert.equal(count(result, 'seckill_rate_limited'), 1);
  assert.equal(count(result, 'seckill_busy'), 1);
  assert.equal(count(result, 'seckill_other'), 0);
  // 409 and 429 are expected answers; the one 503 is a failed request, over the 1 % threshold.
  assert.equal(result.summary.metrics['http_req_failed']?.values['passes'], 1);
  assert.deepEqual(result.summary.metrics['http_req_failed']?.thresholds, {
    'rate<0.01': { ok: false },
  });
  assert.equal(result.thresholdsFailed, true);
  assert.deepEqual(result.summary.metrics['checks']?.values, { rate: 1, passes: BUYERS, fails: 0 });
  assert.ok(result.summary.metrics['seckill_duration']?.values['p(99)'] !== undefined);
  const written = JSON.parse(
    result.handleSummaryOutput?.[join(dir, 'summary.json')] ?? '{}',
  ) as K6Summary;
  assert.equal(written.metrics['seckill_queued']?.values['count'], STOCK_PER_PRODUCT);
});

test('flash-sale: another executor from EXECUTOR, buyers reused round-robin', async () => {
  const result = await run('flash-sale.ts', {
    EXECUTOR: 'per-vu-iterations',
    VUS: '3',
    ITERATIONS: '10',
  });
  assert.equal(count(result, 'iterations'), 30);
  // Buyers 1–10 come twice: a winner's second try is ALREADY_PURCHASED, anyone else's SOLD_OUT.
  assert.equal(count(result, 'seckill_queued'), STOCK_PER_PRODUCT);
  assert.ok(count(result, 'seckill_already_purchased') <= STOCK_PER_PRODUCT);
  assert.equal(
    count(result, 'seckill_queued') +
      count(result, 'seckill_sold_out') +
      count(result, 'seckill_already_purchased') +
      count(result, 'seckill_rate_limited') +
      count(result, 'seckill_busy'),
    30,
  );
});

test('multi-sale: buyers spread over every activity', async () => {
  const result = await run('multi-sale.ts');
  assert.equal(count(result, 'iterations'), BUYERS);
  // n-th buyer → product n mod 3: 7, 7 and 6 buyers (one rate limited, one busy) for 5 units each.
  assert.equal(count(result, 'seckill_queued'), 3 * STOCK_PER_PRODUCT);
  assert.equal(count(result, 'seckill_sold_out'), 1 + 1 + 1);
  assert.equal(count(result, 'seckill_other'), 0);
});

test('browse-and-buy: list, detail, cart, order with think time', async () => {
  const result = await run('browse-and-buy.ts', {
    EXECUTOR: 'shared-iterations',
    VUS: '2',
    ITERATIONS: '4',
    THINK_TIME: '0.01',
  });
  assert.equal(count(result, 'iterations'), 4);
  assert.equal(count(result, 'http_reqs'), 16);
  assert.equal(count(result, 'orders_created'), 4);
  assert.equal(result.thresholdsFailed, false, JSON.stringify(result.summary.metrics['checks']));
  // Four think times of ~10 ms each per iteration.
  assert.ok((result.summary.metrics['iteration_duration']?.values['min'] ?? 0) >= 15);
});

test('a scenario without GOMALL_DATA fails at load with a clear message', async () => {
  await assert.rejects(
    runScenario({ file: scenario('flash-sale.ts'), systemEnv: false, log: () => {} }),
    /GOMALL_DATA is not set/,
  );
});
