// What a run hands back: k6's summary JSON shape (metric types, value keys, checks tree),
// custom metrics, SharedArray + open(), __ENV, handleSummary() output and the timeline.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runScenario, type EngineResult, type K6Summary } from '../../src/bench/engine/index.js';
import {
  sendJson,
  startLocalServer,
  type LocalServer,
} from '../fixtures/scenarios/local-server.js';

const script = fileURLToPath(new URL('../fixtures/scenarios/metrics-and-data.js', import.meta.url));
let server: LocalServer;
let result: EngineResult;
const bodies: string[] = [];

before(async () => {
  server = await startLocalServer((_req, body, res) => {
    bodies.push(body);
    sendJson(res, 200, { code: 200, msg: 'ok', data: null });
  });
  process.env['SHARED'] = 'from-process';
  result = await runScenario({
    file: script,
    systemEnv: false,
    env: { BASE: server.baseUrl, GREETING: 'hello' },
    log: () => {},
  });
});

after(async () => {
  delete process.env['SHARED'];
  await server.close();
});

const VALUE_KEYS: Record<string, string[]> = {
  counter: ['count', 'rate'],
  gauge: ['value', 'min', 'max'],
  rate: ['rate', 'passes', 'fails'],
  trend: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

test('the summary has k6 shape', () => {
  const summary: K6Summary = result.summary;
  assert.deepEqual(Object.keys(summary).sort(), ['metrics', 'options', 'root_group', 'state']);
  assert.deepEqual(summary.options, {
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
    summaryTimeUnit: '',
    noColor: false,
  });
  assert.equal(typeof summary.state.testRunDurationMs, 'number');
  assert.equal(summary.state.isStdOutTTY, false);
  for (const [name, metric] of Object.entries(summary.metrics)) {
    assert.deepEqual(Object.keys(metric.values), VALUE_KEYS[metric.type], `${name} values`);
    for (const value of Object.values(metric.values)) assert.equal(typeof value, 'number');
    assert.ok(['default', 'time', 'data'].includes(metric.contains), `${name} contains`);
  }
  const m = summary.metrics;
  assert.deepEqual(
    [
      m['http_reqs']?.type,
      m['http_req_duration']?.type,
      m['http_req_failed']?.type,
      m['vus']?.type,
    ],
    ['counter', 'trend', 'rate', 'gauge'],
  );
  assert.equal(m['http_req_duration']?.contains, 'time');
  assert.equal(m['data_received']?.contains, 'data');
  assert.equal(m['http_reqs']?.values['count'], 6);
  assert.equal(m['http_req_duration{expected_response:true}']?.type, 'trend');
  assert.equal(m['iterations']?.values['count'], 6);
  for (const name of ['iteration_duration', 'checks', 'data_sent', 'vus', 'vus_max'])
    assert.ok(m[name], name);
});

test('custom Counter, Gauge, Rate and Trend appear with their thresholds', () => {
  const m = result.summary.metrics;
  assert.deepEqual(m['orders'], {
    type: 'counter',
    contains: 'default',
    values: { count: 6, rate: m['orders']?.values['rate'] },
    thresholds: { 'count==6': { ok: true } },
  });
  assert.ok((m['orders']?.values['rate'] ?? 0) > 0);
  assert.deepEqual(m['buyers_loaded']?.values, { value: 3, min: 3, max: 3 });
  assert.deepEqual(m['buyers_loaded']?.thresholds, { 'value==3': { ok: true } });
  assert.deepEqual(m['ok_rate']?.values, { rate: 1, passes: 6, fails: 0 });
  assert.deepEqual(m['ok_rate']?.thresholds, { 'rate>0.5': { ok: true } });
  assert.equal(m['wait_time']?.type, 'trend');
  assert.equal(m['wait_time']?.contains, 'time');
  assert.equal(result.thresholdsFailed, false);
});

test('checks and groups form k6 root_group with md5 ids', () => {
  const root = result.summary.root_group;
  assert.equal(root.id, 'd41d8cd98f00b204e9800998ecf8427e');
  assert.deepEqual(
    root.checks.map((c) => [c.name, c.path, c.passes, c.fails]),
    [['always fails', '::always fails', 0, 6]],
  );
  const shop = root.groups[0];
  assert.equal(shop?.path, '::shop');
  assert.deepEqual(
    shop?.checks.map((c) => [c.path, c.passes, c.fails]),
    [
      ['::shop::status is 200', 6, 0],
      ['::shop::has json body', 6, 0],
    ],
  );
  assert.match(shop?.checks[0]?.id ?? '', /^[0-9a-f]{32}$/);
  assert.deepEqual(result.summary.metrics['checks']?.values, {
    rate: 12 / 18,
    passes: 12,
    fails: 6,
  });
});

test('SharedArray + open() read the fixture, and iterations take buyers by iterationInTest', () => {
  const buyers = bodies.map((b) => (JSON.parse(b) as { buyer: number }).buyer).sort();
  assert.deepEqual(buyers, [1, 1, 2, 2, 3, 3]);
});

test('__ENV carries the env passed in, and not the process env when systemEnv is false', () => {
  assert.equal(result.handleSummaryOutput?.['env.txt'], 'hello|no-shared');
});

test('handleSummary() output is returned, its summary.json is the summary', () => {
  const written = JSON.parse(result.handleSummaryOutput?.['summary.json'] ?? '{}') as K6Summary;
  assert.deepEqual(written.metrics['orders']?.values['count'], 6);
  assert.deepEqual(written.root_group, result.summary.root_group);
});

test('the timeline has one bucket per second with requests and custom counters', () => {
  assert.ok(result.timeline.length >= 1);
  const total = result.timeline.reduce((n, b) => n + b.requests, 0);
  assert.equal(total, 6);
  assert.equal(
    result.timeline.reduce((n, b) => n + (b.counters['orders'] ?? 0), 0),
    6,
  );
  const first = result.timeline[0];
  assert.ok(first !== undefined && first.second === 1 && first.p99 >= first.p50 && first.p50 > 0);
});

test('the process environment reaches __ENV by default', async () => {
  const withSystem = await runScenario({
    file: script,
    env: { BASE: server.baseUrl, GREETING: 'hi' },
    log: () => {},
  });
  assert.equal(withSystem.handleSummaryOutput?.['env.txt'], 'hi|from-process');
});
