// `gomall bench --baseline bare`: the endpoint against a bare node:http server, same run,
// then the drain and the invariants. Figures are not asserted (speed is the bench's business,
// not the suite's); what a user reads is: which load tool ran, one row per run, the medians,
// every invariant, the comparison with a record, reused buyers.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cacheEntry } from '../../src/bench/prepare/buyer-cache.js';
import type { EndpointBenchResult } from '../../src/bench/endpoint/types.js';
import { findOnPath } from '../../src/infra/find-on-path.js';
import { envFor, runCli } from '../support/cli.js';
import { dropIsolation } from '../support/cleanup.js';
import { testConfig } from '../support/config.js';

const config = testConfig();
const env = envFor(config);
const BUYERS = 2000;
// 10 connections for 1 s: each buyer sends about one request, under the per-user limit.
const SHORT = ['--runs', '1', '--duration', '1s', '--warm-up', '0', '--vus', '10'];
const RECORD = `# figures\n\n<!-- gomall-bench-record -->\n\`\`\`json\n{"recorded_at":"2026-01-01","load_tool":"wrk","median":{"ratio":0.5,"gomall_p99_ms":10,"drain_per_s":1000}}\n\`\`\`\n`;

describe('gomall bench --baseline bare', () => {
  let dir: string;
  let record: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gomall-bench-bare-'));
    record = join(dir, 'PERFORMANCE.md');
    await writeFile(record, RECORD);
  });

  after(async () => {
    const entry = await cacheEntry(config, BUYERS);
    await rm(entry.buyersFile, { force: true });
    await rm(entry.metaFile, { force: true });
    await rm(dir, { recursive: true, force: true });
    await dropIsolation(config);
  });

  test('built-in engine: labelled, one run and the medians, every invariant, the record compared', async () => {
    const run = await runCli(
      [
        'bench',
        '--baseline',
        'bare',
        '--buyers',
        String(BUYERS),
        '--load-tool',
        'builtin',
        '--compare',
        record,
        '--json',
        ...SHORT,
      ],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as EndpointBenchResult;
    assert.equal(result.load_tool, 'builtin');
    assert.match(result.load_tool_note, /built-in engine/);
    assert.equal(result.runs.length, 1);
    const [only] = result.runs;
    assert.ok(only!.bare.requests > 0 && only!.gomall.requests > 0);
    assert.equal(result.median.ratio, only!.ratio);
    assert.equal(only!.ratio, only!.gomall.rate / only!.bare.rate);
    assert.ok(only!.invariants.length > 0);
    for (const invariant of only!.invariants)
      assert.notEqual(invariant.status, 'FAIL', `${invariant.id}: ${invariant.detail}`);
    assert.equal(only!.invariants.find((i) => i.id === 'nothing_lost')?.status, 'PASS');
    assert.equal(only!.drain.drained, true);
    assert.ok(only!.queued! > 0 && only!.drain.orders <= only!.queued!);
    const ratio = result.comparison?.deltas.find((d) => d.figure === 'ratio');
    assert.equal(ratio?.recorded, 0.5);
    assert.equal(ratio?.now, result.median.ratio);
    assert.equal(result.exit_code, 0);
  });

  test(
    'wrk, with the buyers of the run above reused',
    { skip: !findOnPath('wrk') && 'wrk is not installed' },
    async () => {
      const run = await runCli(
        ['bench', '--baseline', 'bare', '--buyers', String(BUYERS), '--reuse-buyers', ...SHORT],
        env,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /load tool: wrk -t1/);
      assert.match(run.stdout, /2,000 buyers \(reused\)/);
      assert.match(run.stdout, /│ median │/);
      assert.match(run.stdout, /PASS: every invariant held in every run/);
    },
  );

  test('a --compare file without a record, or a flag of the flash-sale bench, is one line before any load', async () => {
    const empty = join(dir, 'empty.md');
    await writeFile(empty, '# nothing recorded\n');
    const noRecord = await runCli(['bench', '--baseline', 'bare', '--compare', empty], env);
    assert.notEqual(noRecord.code, 0);
    assert.equal(
      noRecord.stderr.trim(),
      `gomall: --compare: ${empty} has no recorded figures (a json block after <!-- gomall-bench-record -->)`,
    );
    const withRate = await runCli(['bench', '--baseline', 'bare', '--rate', '10'], env);
    assert.notEqual(withRate.code, 0);
    assert.equal(withRate.stderr.trim(), 'gomall: --rate does not apply with --baseline bare');
  });
});
