// Each executor of the bench engine starts the right number of iterations. Counts only: the
// arrival-rate checks allow for timer jitter on a busy machine, never for speed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runScenario, type EngineResult } from '../../src/bench/engine/index.js';
import { startLocalServer, type LocalServer } from '../fixtures/scenarios/local-server.js';

const script = fileURLToPath(new URL('../fixtures/scenarios/get-base.js', import.meta.url));
let server: LocalServer;

before(async () => {
  server = await startLocalServer();
});

after(async () => {
  await server.close();
});

function run(
  scenario: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<EngineResult> {
  return runScenario({
    file: script,
    systemEnv: false,
    env: { BASE: server.baseUrl },
    options: { scenarios: { s: scenario }, ...extra },
    log: () => {},
  });
}

function count(result: EngineResult, metric: string): number {
  return result.summary.metrics[metric]?.values['count'] ?? 0;
}

test('shared-iterations runs exactly the total, spread over the VUs', async () => {
  const before = server.requests;
  const result = await run({ executor: 'shared-iterations', vus: 7, iterations: 103 });
  assert.equal(count(result, 'iterations'), 103);
  assert.equal(count(result, 'http_reqs'), 103);
  assert.equal(server.requests - before, 103);
  assert.equal(result.summary.metrics['vus_max']?.values['value'], 7);
});

test('per-vu-iterations runs vus × iterations', async () => {
  const result = await run({ executor: 'per-vu-iterations', vus: 4, iterations: 6 });
  assert.equal(count(result, 'iterations'), 24);
});

test('constant-vus keeps iterating for the duration, then stops', async () => {
  const started = performance.now();
  const result = await run({ executor: 'constant-vus', vus: 3, duration: '400ms' });
  const elapsed = performance.now() - started;
  assert.ok(count(result, 'iterations') > 3, 'several iterations per VU');
  assert.ok(elapsed >= 390, `ran for its duration (${elapsed} ms)`);
  assert.ok(result.summary.state.testRunDurationMs >= 390);
});

test('constant-arrival-rate starts rate × duration iterations', async () => {
  const result = await run({
    executor: 'constant-arrival-rate',
    rate: 100,
    timeUnit: '1s',
    duration: '1s',
    preAllocatedVUs: 5,
    maxVUs: 20,
  });
  const started = count(result, 'iterations') + count(result, 'dropped_iterations');
  assert.equal(started, 100);
  assert.ok(
    count(result, 'iterations') >= 95,
    `at most a few dropped (${count(result, 'dropped_iterations')})`,
  );
});

test('constant-arrival-rate honours timeUnit', async () => {
  const result = await run({
    executor: 'constant-arrival-rate',
    rate: 3,
    timeUnit: '100ms',
    duration: '1s',
    preAllocatedVUs: 3,
  });
  assert.equal(count(result, 'iterations') + count(result, 'dropped_iterations'), 30);
});

test('ramping-arrival-rate starts the integral of its rate', async () => {
  // 0 → 200/s over 0.5 s (50 iterations), then 200/s for 0.5 s (100): 150 in all.
  const result = await run({
    executor: 'ramping-arrival-rate',
    startRate: 0,
    timeUnit: '1s',
    preAllocatedVUs: 5,
    maxVUs: 20,
    stages: [
      { target: 200, duration: '500ms' },
      { target: 200, duration: '500ms' },
    ],
  });
  const started = count(result, 'iterations') + count(result, 'dropped_iterations');
  assert.ok(Math.abs(started - 150) <= 2, `started ${started}`);
});

test('an arrival-rate executor drops iterations when no VU is free', async () => {
  const slow = await startLocalServer((_req, _body, res) => setTimeout(() => res.end('{}'), 150));
  try {
    const result = await runScenario({
      file: script,
      systemEnv: false,
      env: { BASE: slow.baseUrl },
      options: {
        scenarios: {
          s: {
            executor: 'constant-arrival-rate',
            rate: 100,
            timeUnit: '1s',
            duration: '500ms',
            preAllocatedVUs: 2,
            maxVUs: 2,
          },
        },
      },
      log: () => {},
    });
    assert.equal(count(result, 'iterations') + count(result, 'dropped_iterations'), 50);
    assert.ok(count(result, 'dropped_iterations') > 30, 'two busy VUs cannot start 100/s');
  } finally {
    await slow.close();
  }
});

test('ramping-vus follows its stages', async () => {
  const result = await run({
    executor: 'ramping-vus',
    startVUs: 1,
    stages: [
      { target: 4, duration: '300ms' },
      { target: 0, duration: '200ms' },
    ],
  });
  assert.ok(count(result, 'iterations') > 4);
  assert.equal(result.summary.metrics['vus_max']?.values['value'], 4);
});

test('shorthand options: vus + iterations, vus + duration', async () => {
  const shared = await run(
    { executor: 'shared-iterations' },
    { scenarios: undefined, vus: 2, iterations: 9 },
  );
  assert.equal(count(shared, 'iterations'), 9);
  const timed = await run(
    { executor: 'shared-iterations' },
    { scenarios: undefined, vus: 2, duration: '200ms' },
  );
  assert.ok(count(timed, 'iterations') > 2);
});

test('scenarios run side by side, each from its startTime', async () => {
  const result = await runScenario({
    file: script,
    systemEnv: false,
    env: { BASE: server.baseUrl },
    options: {
      scenarios: {
        first: { executor: 'shared-iterations', vus: 2, iterations: 10 },
        later: { executor: 'per-vu-iterations', vus: 3, iterations: 2, startTime: '200ms' },
      },
    },
    log: () => {},
  });
  assert.equal(count(result, 'iterations'), 16);
  assert.ok(result.summary.state.testRunDurationMs >= 200);
});

test('an AbortSignal stops new iterations and waits for the running ones', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const started = performance.now();
  const result = await runScenario({
    file: script,
    systemEnv: false,
    env: { BASE: server.baseUrl },
    options: { scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '30s' } } },
    signal: controller.signal,
    log: () => {},
  });
  assert.ok(performance.now() - started < 2000);
  assert.equal(result.aborted, true);
  assert.equal(result.abortReason, 'aborted by the caller');
  assert.ok(count(result, 'iterations') > 0);
});

test('gracefulStop interrupts iterations that outlive it', async () => {
  const hanging = await startLocalServer(() => {
    /* never answers */
  });
  try {
    const started = performance.now();
    const result = await runScenario({
      file: script,
      systemEnv: false,
      env: { BASE: hanging.baseUrl },
      options: {
        scenarios: {
          s: { executor: 'constant-vus', vus: 2, duration: '100ms', gracefulStop: '200ms' },
        },
      },
      log: () => {},
    });
    const elapsed = performance.now() - started;
    assert.ok(
      elapsed >= 290 && elapsed < 2000,
      `stopped after duration + gracefulStop (${elapsed} ms)`,
    );
    assert.equal(count(result, 'iterations'), 0, 'interrupted iterations are not counted');
  } finally {
    await hanging.close();
  }
});
