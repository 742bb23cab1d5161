import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApp } from '../../src/http/app.js';
import { createDb } from '../../src/infra/db.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { createRedis } from '../../src/infra/redis.js';
import { listen, portOf, shutdown } from '../../src/runtime/http-server.js';
import { Api } from '../support/api.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

test('/health is 200 and /ready is 200 with every dependency up', async () => {
  const health = await h.api.get('/health');
  assert.equal(health.status, 200);
  assert.deepEqual(health.body.data, { status: 'ok' });
  const ready = await h.api.get('/ready');
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.body.data.checks, { mysql: 'up', redis: 'up', rabbitmq: 'up' });
});

test('/ready is 503 naming what is unreachable, and no address', async () => {
  // Port 1 on loopback: nothing listens there, so every command fails at once.
  const deadRedis = createRedis({ ...h.config.redis, port: 1 }, { failFast: true });
  deadRedis.on('error', () => undefined);
  // MySQL refused too: its error, "connect ECONNREFUSED 127.0.0.1:1", carries the address.
  const deadDb = createDb({ ...h.config.database, port: 1 });
  const server = await listen(
    createApp({ ...h.deps, db: deadDb, redis: deadRedis, metrics: createMetrics() }),
    '127.0.0.1',
    0,
  );
  try {
    const res = await new Api(`http://127.0.0.1:${portOf(server)}`).get('/ready');
    assert.equal(res.status, 503);
    assert.match(res.body.msg, /redis/);
    assert.doesNotMatch(res.body.msg, /rabbitmq/);
    assert.equal(res.body.data.checks.rabbitmq, 'up');
    assert.match(res.body.data.checks.redis, /^down/);
    assert.match(res.body.data.checks.mysql, /^down/);
    // The body names no address: the probe's error ("connect ECONNREFUSED 127.0.0.1:1") is logged.
    assert.doesNotMatch(res.text, /127\.0\.0\.1|:1\b|localhost/);
  } finally {
    await shutdown(server, 1000);
    deadRedis.disconnect();
    await deadDb.destroy();
  }
});

test('/metrics shows the request histogram labelled by route pattern', async () => {
  const user = await h.api.newUser('metrics');
  await h.api.get('/api/user/profile', { token: user.token });
  const res = await fetch(`${h.api.baseUrl}/metrics`);
  const text = await res.text();
  assert.equal(res.status, 200);
  assert.match(text, /# TYPE http_request_duration_seconds histogram/);
  assert.match(
    text,
    /http_request_duration_seconds_count\{method="GET",route="\/api\/user\/profile",status_code="200"\} 1/,
  );
  assert.match(text, /process_resident_memory_bytes/);
});
