// The execution context a script sees: __VU, __ITER and k6/execution stay the VU's own across
// awaits, scenario env reaches __ENV, and setup() data flows to iterations and teardown().
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../src/bench/engine/index.js';
import {
  sendJson,
  startLocalServer,
  type LocalServer,
} from '../fixtures/scenarios/local-server.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/scenarios/${name}`, import.meta.url));
let server: LocalServer;
const seen: Array<{ url: string; body: string; auth: string; setupVu: string }> = [];

before(async () => {
  server = await startLocalServer((req, body, res) => {
    seen.push({
      url: req.url ?? '',
      body,
      auth: String(req.headers.authorization ?? ''),
      setupVu: String(req.headers['x-setup-vu'] ?? ''),
    });
    sendJson(res, 200, { code: 200, msg: 'ok', data: { token: 'secret' } });
  });
});

after(async () => {
  await server.close();
});

test('each VU keeps its __VU, __ITER and exec values across awaits', async () => {
  seen.length = 0;
  await runScenario({
    file: fixture('vu-context.js'),
    systemEnv: false,
    env: { BASE: server.baseUrl },
    options: {
      scenarios: {
        a: { executor: 'per-vu-iterations', vus: 3, iterations: 4 },
        b: {
          executor: 'shared-iterations',
          vus: 2,
          iterations: 4,
          env: { SCENARIO_ENV: 'only-b' },
        },
      },
    },
    log: () => {},
  });
  const reports = seen.map(
    (s) => JSON.parse(s.body) as { before: string; after: string; scenario: string; env: string },
  );
  assert.equal(reports.length, 16);
  for (const r of reports)
    assert.equal(r.after, r.before, `context changed across an await in ${r.scenario}`);

  const a = reports.filter((r) => r.scenario === 'a').map((r) => r.before.split(':').map(Number));
  // [__VU, __ITER, idInTest, iterationInScenario, iterationInTest]
  for (const [vu, iter, id, inScenario] of a) {
    assert.equal(vu, id);
    assert.equal(iter, inScenario);
  }
  assert.equal(new Set(a.map((c) => c[0])).size, 3);
  assert.deepEqual(
    a.map((c) => c[4]).sort((x, y) => (x as number) - (y as number)),
    Array.from({ length: 12 }, (_, i) => i),
  );
  for (const vu of new Set(a.map((c) => c[0]))) {
    assert.deepEqual(
      a
        .filter((c) => c[0] === vu)
        .map((c) => c[1])
        .sort(),
      [0, 1, 2, 3],
    );
  }
  const b = reports.filter((r) => r.scenario === 'b');
  assert.ok(b.length > 0, 'scenario b ran');
  assert.ok(b.every((r) => r.env === 'only-b'));
  assert.ok(reports.filter((r) => r.scenario === 'a').every((r) => r.env === ''));
  const bVus = new Set(b.map((r) => Number(r.before.split(':')[0])));
  assert.ok(bVus.size > 0);
  assert.ok(
    [...bVus].every((vu) => vu > 3),
    'VU ids are unique across scenarios',
  );
});

test('setup() data reaches every iteration and teardown()', async () => {
  seen.length = 0;
  const result = await runScenario({
    file: fixture('lifecycle.js'),
    systemEnv: false,
    env: { BASE: server.baseUrl },
    log: () => {},
  });
  assert.deepEqual(
    seen.map((s) => s.url),
    ['/token', '/use', '/use', '/use', '/use'],
  );
  assert.ok(seen.slice(1).every((s) => s.auth === 'Bearer secret' && s.setupVu === '0'));
  assert.equal(result.summary.metrics['teardown_ran']?.values['count'], 1);
  assert.deepEqual(result.summary.setup_data, { token: 'secret', setupVu: 0 });
  assert.equal(result.summary.metrics['http_reqs']?.values['count'], 5);
});
