// `gomall bench --engine k6` when k6 is on PATH. k6 cannot be installed here, so a stand-in
// named k6 takes its place: it reads `k6 run`'s arguments (-e KEY=VALUE ... script), runs the
// script on the built-in engine, writes what handleSummary() returned and exits 99 when a
// threshold failed, as k6 does. What this checks is the bench's side: arguments, summary file,
// exit code.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { BenchResult } from '../../src/bench/types.js';
import { packageRoot } from '../../src/infra/paths.js';
import { envFor, exitOf, spawnCli } from '../support/cli.js';
import { dropIsolation } from '../support/cleanup.js';
import { testConfig } from '../support/config.js';

const config = testConfig();
let dir: string;

const STAND_IN = (engine: string, argsLog: string) => `
import { appendFileSync, writeFileSync } from 'node:fs';
import { runScenario } from ${JSON.stringify(engine)};
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(argsLog)}, JSON.stringify(args) + '\\n');
const env = {};
for (let i = 0; i < args.length; i++) if (args[i] === '-e') { const [k, ...v] = args[++i].split('='); env[k] = v.join('='); }
const result = await runScenario({ file: args.at(-1), env, log: () => undefined });
for (const [name, content] of Object.entries(result.handleSummaryOutput ?? {})) writeFileSync(name, content);
process.exit(result.thresholdsFailed ? 99 : 0);
`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gomall-fake-k6-'));
  const script = join(dir, 'k6.mjs');
  await writeFile(
    script,
    STAND_IN(join(packageRoot(), 'src/bench/engine/index.ts'), join(dir, 'args.log')),
  );
  await writeFile(
    join(dir, 'k6'),
    `#!/bin/sh\nexec "${process.execPath}" --import tsx --no-warnings "${script}" "$@"\n`,
  );
  await chmod(join(dir, 'k6'), 0o755);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
  await dropIsolation(config);
});

test('with k6 on PATH, auto runs the scenario under k6 and reads its handleSummary file', async () => {
  const env = envFor(config, { PATH: `${dir}${delimiter}${process.env['PATH'] ?? ''}` });
  const child = spawnCli(
    ['bench', '--buyers', '100', '--stock', '20', '--no-baselines', '--warm-up', '0', '--json'],
    env,
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await exitOf(child);
  const result = JSON.parse(stdout) as BenchResult;
  // 99 is the scenario's latency threshold failing on a busy machine: speed is not asserted here.
  assert.equal(code, result.load.thresholds_failed ? 99 : 0, stderr);
  assert.equal(result.engine, 'k6');
  assert.ok(result.invariants.length > 0, 'the run reports its invariants');
  for (const invariant of result.invariants)
    assert.equal(invariant.status, 'PASS', `${invariant.id}: ${invariant.detail}`);
  assert.equal(result.load.requests, 100);
  assert.equal(result.load.by_status['202'], 20);

  const [args] = (await readFile(join(dir, 'args.log'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as string[]);
  assert.deepEqual(args!.slice(0, 3), ['run', '--quiet', '--no-color']);
  assert.ok(args!.some((a) => a.startsWith('GOMALL_DATA=')));
  assert.ok(args!.some((a) => a.startsWith('GOMALL_SUMMARY=')));
  assert.match(args!.at(-1)!, /scenarios\/flash-sale\.ts$/);
});
