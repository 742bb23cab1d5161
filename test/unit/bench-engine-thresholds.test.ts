// Thresholds decide the verdict like k6's, and abortOnFail ends a run early.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runScenario, type EngineResult } from '../../src/bench/engine/index.js';
import {
  sendJson,
  startLocalServer,
  type LocalServer,
} from '../fixtures/scenarios/local-server.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/scenarios/${name}`, import.meta.url));
let server: LocalServer;

before(async () => {
  // Every fourth request is a 500, so http_req_failed's rate is 0.25.
  let n = 0;
  server = await startLocalServer((_req, _body, res) => {
    n++;
    sendJson(res, n % 4 === 0 ? 500 : 200, { code: 200, msg: 'ok', data: null });
  });
});

after(async () => {
  await server.close();
});

function run(
  thresholds: Record<string, unknown>,
  scenario?: Record<string, unknown>,
): Promise<EngineResult> {
  return runScenario({
    file: fixture('get-base.js'),
    systemEnv: false,
    env: { BASE: server.baseUrl },
    options: {
      scenarios: { s: scenario ?? { executor: 'shared-iterations', vus: 2, iterations: 40 } },
      thresholds,
    },
    log: () => {},
  });
}

test('thresholds that hold pass', async () => {
  const result = await run({
    http_req_failed: ['rate<0.3'],
    http_req_duration: ['p(95)<5000', 'avg<5000', 'max<10000', 'med<5000'],
    http_reqs: ['count>=40'],
    iterations: ['count==40'],
  });
  assert.equal(result.thresholdsFailed, false);
  assert.deepEqual(result.summary.metrics['http_req_failed']?.thresholds, {
    'rate<0.3': { ok: true },
  });
  assert.deepEqual(Object.keys(result.summary.metrics['http_req_duration']?.thresholds ?? {}), [
    'p(95)<5000',
    'avg<5000',
    'max<10000',
    'med<5000',
  ]);
});

test('a threshold that does not hold fails the run, and only that one is marked', async () => {
  const result = await run({ http_req_failed: ['rate<0.01'], http_req_duration: ['p(95)<5000'] });
  assert.equal(result.thresholdsFailed, true);
  assert.equal(result.aborted, false);
  assert.deepEqual(result.summary.metrics['http_req_failed']?.thresholds, {
    'rate<0.01': { ok: false },
  });
  assert.deepEqual(result.summary.metrics['http_req_duration']?.thresholds, {
    'p(95)<5000': { ok: true },
  });
  assert.equal(result.summary.metrics['http_req_failed']?.values['rate'], 0.25);
});

test('an aggregate that does not fit the metric type is rejected before the run', async () => {
  const result = await runScenario({
    file: fixture('get-base.js'),
    systemEnv: false,
    env: { BASE: server.baseUrl },
    options: {
      scenarios: { s: { executor: 'shared-iterations', vus: 1, iterations: 8 } },
      thresholds: { 'http_req_duration{status:500}': ['count>0'] },
    },
    log: () => {},
  }).catch((err: unknown) => err);
  // count is not an aggregate of a trend: k6 rejects it, and so does the engine.
  assert.ok(
    result instanceof Error && /count does not apply to a trend metric/.test(result.message),
  );
});

test('a tagged sub-metric threshold sees only matching samples', async () => {
  const result = await run({
    'http_reqs{status:500}': ['count==10'],
    'http_reqs{status:200}': ['count==30'],
  });
  assert.equal(
    result.thresholdsFailed,
    false,
    JSON.stringify(result.summary.metrics['http_reqs{status:500}']),
  );
  assert.equal(result.summary.metrics['http_reqs{status:500}']?.values['count'], 10);
});

test('abortOnFail stops the run early', async () => {
  const started = performance.now();
  const result = await run(
    { http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true }] },
    { executor: 'constant-vus', vus: 2, duration: '20s' },
  );
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 3000, `stopped after ${elapsed} ms`);
  assert.equal(result.aborted, true);
  assert.match(result.abortReason ?? '', /rate<0.01/);
  assert.equal(result.thresholdsFailed, true);
});

test('delayAbortEval holds the abort back', async () => {
  const started = performance.now();
  const result = await run(
    { http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '600ms' }] },
    { executor: 'constant-vus', vus: 2, duration: '20s' },
  );
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 600 && elapsed < 3000, `stopped after ${elapsed} ms`);
  assert.equal(result.aborted, true);
});

test('exec.test.abort() from the script stops the run', async () => {
  const result = await runScenario({
    file: fixture('abort-in-script.js'),
    systemEnv: false,
    env: { BASE: server.baseUrl },
    log: () => {},
  });
  assert.equal(result.aborted, true);
  assert.equal(result.abortReason, 'exec.test.abort(): enough');
  assert.equal(result.summary.metrics['http_reqs']?.values['count'], 3);
  assert.deepEqual(result.scriptErrors, []);
});
