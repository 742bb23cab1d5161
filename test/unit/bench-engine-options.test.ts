// Pure parts of the bench engine: k6 durations, scenario options with k6's defaults and
// shortcuts, threshold expressions, and the arrival-rate schedule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalSchedule } from '../../src/bench/engine/execution/executors/arrival-schedule.js';
import { MetricRegistry } from '../../src/bench/engine/metrics/registry.js';
import { parseDuration } from '../../src/bench/engine/options/duration.js';
import { resolveScenarios } from '../../src/bench/engine/options/scenario-config.js';
import { mergeOptions } from '../../src/bench/engine/options/script-options.js';
import { holds, parseThresholds } from '../../src/bench/engine/thresholds/threshold.js';

test('durations use k6 syntax', () => {
  assert.equal(parseDuration('500ms', 'x'), 500);
  assert.equal(parseDuration('1m30s', 'x'), 90_000);
  assert.equal(parseDuration('1.5s', 'x'), 1500);
  assert.equal(parseDuration('2h', 'x'), 7_200_000);
  assert.equal(parseDuration(250, 'x'), 250);
  assert.equal(parseDuration('0', 'x'), 0);
  assert.throws(() => parseDuration('30', 'duration'), /duration: "30" is not a duration/);
  assert.throws(() => parseDuration('soon', 'duration'), /not a duration/);
});

test('shortcuts become k6 scenarios with k6 defaults', () => {
  assert.deepEqual(
    resolveScenarios({}).map((s) => [s.executor, s.name, s.exec, s.gracefulStopMs]),
    [['shared-iterations', 'default', 'default', 30_000]],
  );
  const [shared] = resolveScenarios({ vus: 5, iterations: 50 });
  assert.equal(shared?.executor, 'shared-iterations');
  const [timed] = resolveScenarios({ vus: 5, duration: '10s' });
  assert.equal(timed?.executor, 'constant-vus');
  const [ramp] = resolveScenarios({ stages: [{ duration: '1s', target: 3 }] });
  assert.equal(ramp?.executor, 'ramping-vus');
});

test('scenario options are validated with one line naming the scenario and the option', () => {
  assert.throws(
    () => resolveScenarios({ scenarios: { s: { executor: 'externally-controlled' } } }),
    /^TypeError: scenario "s": executor "externally-controlled" is not supported \(supported: shared-iterations, /,
  );
  assert.throws(
    () => resolveScenarios({ scenarios: { s: { executor: 'constant-vus', vus: 2 } } }),
    /^TypeError: scenario "s": duration is required$/,
  );
  assert.throws(
    () =>
      resolveScenarios({
        scenarios: { s: { executor: 'shared-iterations', vus: 10, iterations: 5 } },
      }),
    /^TypeError: scenario "s": iterations can't be less than vus \(10\), got 5$/,
  );
  assert.throws(
    () =>
      resolveScenarios({ scenarios: { s: { executor: 'constant-vus', vus: 0, duration: '1s' } } }),
    /^TypeError: scenario "s": vus must be an integer ≥ 1, got 0$/,
  );
  assert.throws(
    () =>
      resolveScenarios({
        scenarios: { s: { executor: 'constant-vus', duration: '1s', gracefulStop: 'soon' } },
      }),
    /^TypeError: scenario "s": gracefulStop "soon" is not a duration \(use units ms, s, m, h, e\.g\. "1m30s"\), got "soon"$/,
  );
  assert.throws(
    () =>
      resolveScenarios({
        scenarios: {
          r: { executor: 'ramping-arrival-rate', preAllocatedVUs: 1, stages: [{ duration: '1s' }] },
        },
      }),
    /^TypeError: scenario "r": stages\.0\.target is required$/,
  );
  assert.throws(
    () => resolveScenarios({ scenarios: { s: 'fast' } }),
    /^TypeError: scenario "s" must be an object$/,
  );
  const [rate] = resolveScenarios({
    scenarios: {
      r: { executor: 'constant-arrival-rate', rate: 10, duration: '1s', preAllocatedVUs: '2' },
    },
  });
  assert.ok(
    rate?.executor === 'constant-arrival-rate' &&
      rate.maxVUs === 2 &&
      rate.timeUnitMs === 1000 &&
      rate.gracefulStopMs === 30_000,
  );
});

test('caller overrides replace the script scenarios when they use a shortcut', () => {
  const script = {
    scenarios: { s: { executor: 'constant-vus', duration: '1m' } },
    iterations: 3,
    thresholds: {},
  };
  const merged = mergeOptions(script, { vus: 2, duration: '5s' });
  assert.equal(merged['scenarios'], undefined);
  assert.equal(merged['iterations'], undefined);
  assert.deepEqual(merged['thresholds'], {});
  assert.equal(mergeOptions(script, { thresholds: { a: [] } })['scenarios'], script.scenarios);
});

test('thresholds parse k6 expressions and reject the wrong aggregate for the metric type', () => {
  const registry = new MetricRegistry();
  registry.define('http_req_duration', 'trend', 'time');
  registry.define('http_req_failed', 'rate', 'default');
  registry.define('orders', 'counter', 'default');
  const parsed = parseThresholds(
    {
      http_req_duration: [
        'p(95)<500',
        'avg <= 200',
        { threshold: 'max<1000', abortOnFail: true, delayAbortEval: '10s' },
      ],
      http_req_failed: ['rate<0.01'],
      orders: 'count>0',
      'http_req_duration{status:200}': ['med<100'],
    },
    registry,
  );
  assert.equal(parsed.length, 4);
  const max = parsed[0]?.expressions[2];
  assert.ok(max !== undefined && max.abortOnFail && max.delayAbortEvalMs === 10_000);
  assert.ok(holds(parsed[0]?.expressions[0] as never, 499));
  assert.ok(!holds(parsed[0]?.expressions[0] as never, 500));
  assert.throws(
    () => parseThresholds({ orders: ['p(95)<1'] }, registry),
    /p\(95\) does not apply to a counter metric/,
  );
  assert.throws(() => parseThresholds({ nope: ['count>0'] }, registry), /no metric named "nope"/);
  assert.throws(
    () => parseThresholds({ orders: ['count is big'] }, registry),
    /expected "<aggregate> <op> <number>"/,
  );
});

test('constant arrival schedule: rate × duration iterations, evenly spaced from t = 0', () => {
  const schedule = ArrivalSchedule.constant(50, 1000, 2000);
  assert.equal(schedule.total, 100);
  assert.equal(schedule.dueBy(0), 1);
  assert.equal(schedule.dueBy(19.9), 1);
  assert.equal(schedule.dueBy(20), 2);
  assert.equal(schedule.dueBy(5000), 100);
  assert.ok(Math.abs(schedule.dueAt(10) - 200) < 1e-9);
});

test('ramping arrival schedule: iterations follow the area under the rate', () => {
  // 0 → 100/s over 2 s: 100 iterations; then 100/s for 1 s: 100 more.
  const schedule = new ArrivalSchedule(0, 1000, [
    { durationMs: 2000, target: 100 },
    { durationMs: 1000, target: 100 },
  ]);
  assert.equal(schedule.total, 200);
  assert.ok(Math.abs(schedule.dueBy(1000) - 26) <= 1, `${schedule.dueBy(1000)}`); // 25 due by 1 s
  assert.ok(Math.abs(schedule.dueAt(100) - 2000) < 1e-6);
  for (let k = 1; k < 200; k += 17) assert.ok(schedule.dueAt(k) >= schedule.dueAt(k - 1));
  assert.equal(schedule.dueAt(200), Infinity);
});
