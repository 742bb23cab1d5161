// The endpoint bench's pure parts: the record it compares with, medians, the text a user
// reads, the scenario data file streamed from the buyers file, and locally minted tokens.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createJwtCodec } from '../../src/auth/jwt.js';
import { compareWithRecord, lastRecord, RECORD_MARKER } from '../../src/bench/endpoint/compare.js';
import { median, medians } from '../../src/bench/endpoint/medians.js';
import type { EndpointBenchResult, EndpointRun } from '../../src/bench/endpoint/types.js';
import { endpointText } from '../../src/bench/output/endpoint-tables.js';
import type { BuyerSet } from '../../src/bench/prepare/buyers.js';
import { writeDataFile } from '../../src/bench/prepare/data-file.js';
import { tokenMinter } from '../../src/bench/prepare/token-minter.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gomall-bench-endpoint-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (median: object, at = '2026-01-01') =>
  `${RECORD_MARKER}\n\`\`\`json\n${JSON.stringify({ recorded_at: at, load_tool: 'wrk', median })}\n\`\`\`\n`;

function run(n: number, bare: number, gomall: number, p99: number, hold = true): EndpointRun {
  const load = (rate: number, p99_ms: number) => ({
    requests: rate * 10,
    rate,
    p50_ms: p99_ms / 2,
    p99_ms,
    non_202: 0,
    transport_errors: 0,
  });
  return {
    run: n,
    product_id: n,
    bare: load(bare, 4),
    gomall: load(gomall, p99),
    ratio: gomall / bare,
    queued: gomall * 10,
    drain: { drained: true, orders: gomall * 10, seconds: 2, per_s: gomall * 5 },
    server_rss_mb: 200 + n,
    invariants: hold
      ? [{ id: 'no_oversell', title: 'no oversell', status: 'PASS', detail: 'ok' }]
      : [{ id: 'mysql_stock', title: 'MySQL stock', status: 'FAIL', detail: '5 ≠ 6' }],
    hold,
  };
}

test('the last record of a file is the one compared; a file without one is one line naming it', () => {
  const text = `# perf\n${record({ ratio: 0.1 }, 'old')}\nlater\n${record({ ratio: 0.2 }, 'new')}`;
  assert.equal(lastRecord(text, 'P.md').recorded_at, 'new');
  assert.throws(
    () => lastRecord('# nothing', 'P.md'),
    /^Error: --compare: P.md has no recorded figures \(a json block after <!-- gomall-bench-record -->\)$/,
  );
  assert.throws(
    () => lastRecord(`${RECORD_MARKER}\n\`\`\`json\n{oops\n\`\`\`\n`, 'P.md'),
    /the last record in P.md is not valid JSON/,
  );
});

test('medians of odd and even counts, and of runs', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  const m = medians([
    run(1, 50_000, 10_000, 20),
    run(2, 40_000, 12_000, 30),
    run(3, 60_000, 9_000, 25),
  ]);
  assert.equal(m.bare_rps, 50_000);
  assert.equal(m.gomall_rps, 10_000);
  assert.equal(m.ratio, 0.2);
  assert.equal(m.gomall_p99_ms, 25);
  assert.equal(m.drain_per_s, 50_000);
  assert.equal(m.server_rss_mb, 202);
});

test('the comparison gives each figure recorded, now and the relative change', async () => {
  const file = join(dir, 'PERFORMANCE.md');
  await writeFile(file, record({ ratio: 0.25, gomall_p99_ms: 20, drain_per_s: 40_000 }));
  const now = medians([run(1, 50_000, 10_000, 25)]);
  const c = await compareWithRecord(file, now);
  const by = Object.fromEntries(c.deltas.map((d) => [d.figure, d]));
  assert.equal(by['ratio']?.recorded, 0.25);
  assert.ok(Math.abs(by['ratio']!.change! - -0.2) < 1e-9);
  assert.equal(by['gomall_p99_ms']?.change, 0.25);
  assert.equal(by['bare_rps']?.recorded, null);
  assert.equal(by['bare_rps']?.change, null);
});

test('the text: what ran, one row per run and the medians, what broke', () => {
  const runs = [run(1, 50_000, 10_000, 20), run(2, 40_000, 12_000, 30, false)];
  const result: EndpointBenchResult = {
    mode: 'baseline-bare',
    load_tool: 'builtin',
    load_tool_note: 'built-in engine (FALLBACK: wrk is not installed)',
    pinning: 'server on CPU 0, load tool on CPU 1 (taskset)',
    connections: 100,
    duration: '10s',
    warm_up: '2s',
    buyers: 10_000,
    buyers_reused: false,
    stock: 10_000_000,
    limit_per_user: 1000,
    server_node_options: '--max-semi-space-size=8',
    load_average: [1.5, 2, 2.5],
    runs,
    median: medians(runs),
    comparison: null,
    bench_rss_mb: 90,
    phases: [{ phase: 'prepare', seconds: 1.2 }],
    elapsed_seconds: 60,
    exit_code: 1,
  };
  const text = endpointText(result);
  assert.match(text, /load tool: built-in engine \(FALLBACK: wrk is not installed\)/);
  assert.match(text, /│ 1 +│ 50,000 +│ 4\.00 ms +│ 10,000 +│ 20\.0 ms +│ 0\.200 /);
  assert.match(text, /│ median +│ 45,000 +│/);
  assert.match(text, /run 2: mysql_stock: 5 ≠ 6/);
  assert.match(text, /FAIL: an invariant broke \(60\.0 s in all\)/);
});

test('the data file holds every buyer of the buyers file, across read chunks', async () => {
  const file = join(dir, 'buyers.jsonl');
  const count = 5000; // ~600 KB: several 64 KB read chunks, lines cut across them
  const lines = Array.from({ length: count }, (_, n) =>
    JSON.stringify({ id: n + 1, token: `t${'x'.repeat(n % 200)}${n}` }),
  );
  await writeFile(file, `${lines.join('\n')}\n`);
  const buyers: BuyerSet = {
    count,
    prefix: 'bench_x_',
    file,
    first: { id: 1, token: 't0' },
    reused: false,
  };
  const path = await writeDataFile(join(dir, 'data.json'), {
    baseUrl: 'http://127.0.0.1:1',
    products: [7],
    buyers,
  });
  const data = JSON.parse(await readFile(path, 'utf8')) as {
    baseUrl: string;
    products: number[];
    buyers: Array<{ id: number; token: string }>;
  };
  assert.equal(data.baseUrl, 'http://127.0.0.1:1');
  assert.deepEqual(data.products, [7]);
  assert.equal(data.buyers.length, count);
  assert.deepEqual(data.buyers[4321], JSON.parse(lines[4321]!));
  assert.equal(data.buyers.at(-1)?.id, count);
});

test('minted tokens are the codec tokens: the server accepts them for their buyer', () => {
  const settings = {
    secret: 'a-bench-secret-of-32-characters!',
    issuer: 'gomall',
    ttl_seconds: 3600,
  };
  const codec = createJwtCodec(settings);
  const mint = tokenMinter(settings);
  for (const id of [1, 42, 987_654]) assert.deepEqual(codec.verify(mint(id)), { id, role: 'user' });
  const other = createJwtCodec({ ...settings, secret: 'another-secret-of-32-characters!' });
  assert.equal(other.verify(mint(42)), null);
});
