import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Config } from '../../src/config/schema.js';
import { createApp } from '../../src/http/app.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { listen, portOf, shutdown } from '../../src/runtime/http-server.js';
import { Api } from '../support/api.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
const opened: Array<() => Promise<unknown>> = [];

before(async () => {
  // A tiny login bucket (3 tries, then one every 2 s) on the harness's own app.
  h = await startHarness({ ratelimit: { login: { rate: 0.5, burst: 3 } } });
});
after(async () => {
  for (const close of opened) await close();
  await h.close();
});

/** Another app on the same services with limits of its own (and its own /metrics). */
async function instance(ratelimit: Partial<Config['ratelimit']>) {
  const config = { ...h.config, ratelimit: { ...h.config.ratelimit, ...ratelimit } };
  const app = createApp({ ...h.deps, config, metrics: createMetrics() });
  // The lean POST /api/seckill in front, as serve has it: it takes from this app's buckets.
  const server = await listen(h.deps.seckill!.front(app), '127.0.0.1', 0);
  opened.push(() => shutdown(server, 1000));
  return { api: new Api(`http://127.0.0.1:${portOf(server)}`), limits: app.locals.rateLimits! };
}

const tiny = { rate: 0.5, burst: 3 };

async function rejectedCount(api: Api, limiter: string): Promise<number> {
  const text = (await api.get('/metrics')).text;
  const match = new RegExp(
    `^http_requests_rate_limited_total\\{limiter="${limiter}"\\} (\\d+)$`,
    'm',
  ).exec(text);
  return match ? Number(match[1]) : 0;
}

const token = (id: number) => h.jwt.sign({ id, role: 'user' }).token;

describe('login limit (per IP)', () => {
  test('after its burst, login answers 429 with Retry-After, and /metrics counts it', async () => {
    const wrong = { username: 'nobody_here', password: 'wrong-password' };
    for (let i = 0; i < 3; i += 1) {
      assert.equal((await h.api.post('/api/user/login', wrong)).status, 401);
    }
    const limited = await h.api.post('/api/user/login', wrong);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.reason, 'RATE_LIMITED');
    assert.equal(limited.body.code, 429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 6,
      `Retry-After ${retryAfter}`,
    );
    assert.equal(await rejectedCount(h.api, 'login'), 1);

    const register = await h.api.post('/api/user/register', {
      username: 'still_welcome',
      password: 'secret-pass',
    });
    assert.equal(register.status, 201, 'other routes are not under the login limit');
  });
});

describe('api limit (per client)', () => {
  test('each user has a bucket of their own, and anonymous callers one per IP', async () => {
    const { api } = await instance({ api: tiny });
    for (let i = 0; i < 3; i += 1) assert.equal((await api.get('/api/product')).status, 200);
    const anonymous = await api.get('/api/product');
    assert.equal(anonymous.status, 429);
    assert.match(anonymous.body.msg, /api/);

    for (const id of [101, 102]) {
      const answers = [];
      for (let i = 0; i < 4; i += 1)
        answers.push((await api.get('/api/product', { token: token(id) })).status);
      assert.deepEqual(answers, [200, 200, 200, 429], `user ${id}`);
    }
    assert.equal(await rejectedCount(api, 'api'), 3);
  });
});

describe('global limit (per instance)', () => {
  test('caps every client together, but never the probes', async () => {
    const { api } = await instance({ global: tiny });
    assert.equal((await api.get('/api/product')).status, 200);
    assert.equal((await api.get('/api/product', { token: token(201) })).status, 200);
    assert.equal((await api.get('/api/nothing')).status, 404);
    const limited = await api.get('/api/product', { token: token(202) });
    assert.equal(limited.status, 429);
    assert.match(limited.body.msg, /global/);
    assert.equal((await api.get('/health')).status, 200);
    assert.equal((await api.get('/ready')).status, 200);
    assert.equal(await rejectedCount(api, 'global'), 1);
  });
});

describe('limit order', () => {
  // A client's own bucket (3) is taken before the instance's (5): a client flooding past
  // its limit spends 3 of the instance's tokens, not all of them.
  const flood = async (send: () => Promise<{ status: number }>) => {
    const statuses = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await send()).status);
    assert.equal(statuses.filter((s) => s === 429).length, 5, `flood ${statuses.join(',')}`);
  };

  test('one client flooding past its limit leaves a second client served', async () => {
    const { api } = await instance({ global: { rate: 0.1, burst: 5 }, api: tiny });
    await flood(() => api.get('/api/product', { token: token(301) }));
    assert.equal((await api.get('/api/product', { token: token(302) })).status, 200);
    assert.equal((await api.get('/api/product', { token: token(303) })).status, 200);
  });

  test('on the lean POST /api/seckill too', async () => {
    const { api } = await instance({ global: { rate: 0.1, burst: 5 }, api: tiny });
    const buy = (id: number) =>
      api.post('/api/seckill', { product_id: 999_999 }, { token: token(id) });
    await flood(() => buy(311));
    const other = await buy(312);
    assert.equal(other.status, 404, 'the second buyer reaches the sale (no such activity here)');
  });

  test('unknown paths are under the per-client limit too', async () => {
    const { api } = await instance({ api: tiny });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await api.get('/no/such/path')).status);
    assert.deepEqual(statuses, [404, 404, 404, 429]);
  });
});

describe('configuration', () => {
  test('enabled: false lifts every cap', async () => {
    const { api } = await instance({ enabled: false, global: tiny, api: tiny });
    const statuses = await Promise.all(Array.from({ length: 10 }, () => api.get('/api/product')));
    assert.ok(statuses.every((res) => res.status === 200));
  });

  test('new limits from a reload apply to the running app', async () => {
    const { api, limits } = await instance({});
    for (let i = 0; i < 5; i += 1) assert.equal((await api.get('/api/product')).status, 200);
    limits.update({ ...h.config.ratelimit, api: { rate: 0.5, burst: 1 } });
    assert.equal((await api.get('/api/product')).status, 200);
    assert.equal((await api.get('/api/product')).status, 429);
  });
});
