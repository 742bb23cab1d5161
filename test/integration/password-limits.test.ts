import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Config } from '../../src/config/schema.js';
import type { DeepPartial } from '../../src/config/load.js';
import { mainThreadCpu } from '../support/event-loop.js';
import { startHarness, type Harness } from '../support/harness.js';

const opened: Harness[] = [];
after(async () => {
  for (const h of opened) await h.close();
});

async function harness(ratelimit: DeepPartial<Config['ratelimit']>): Promise<Harness> {
  const h = await startHarness({ ratelimit });
  opened.push(h);
  return h;
}

const roomy = { rate: 1000, burst: 1000 };
const fresh = () => `pw_${Math.random().toString(36).slice(2, 10)}`;

function assertRetryAfter(res: { status: number; headers: Headers; body: { reason?: string } }) {
  assert.equal(res.status, 429);
  assert.equal(res.body.reason, 'RATE_LIMITED');
  const seconds = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(seconds) && seconds >= 1, `Retry-After ${seconds}`);
}

describe('register', () => {
  test('is limited per IP: past the burst 429 with Retry-After, login unaffected', async () => {
    const h = await harness({ register: { rate: 0.01, burst: 3 } });
    const user = await h.api.newUser('reg');
    for (let i = 0; i < 2; i += 1) {
      const res = await h.api.post('/api/user/register', {
        username: fresh(),
        password: 'pass-1234',
      });
      assert.equal(res.status, 201);
    }
    const refused = await h.api.post('/api/user/register', {
      username: fresh(),
      password: 'pass-1234',
    });
    assertRetryAfter(refused);
    const login = await h.api.post('/api/user/login', {
      username: user.username,
      password: 'password-123',
    });
    assert.equal(login.status, 200, 'login has buckets of its own');
  });

  test('hashes off the event loop', async () => {
    const h = await harness({ register: roomy });
    const { result, cpuMs } = await mainThreadCpu(() =>
      Promise.all(
        Array.from({ length: 8 }, () =>
          h.api.post('/api/user/register', { username: fresh(), password: 'pass-1234' }),
        ),
      ),
    );
    for (const res of result) assert.equal(res.status, 201);
    // bcryptjs hashed on the main thread (~2 s of its CPU for these eight); on libuv's pool
    // the main thread only handles the requests.
    assert.ok(cpuMs < 600, `main thread used ${cpuMs.toFixed(0)} ms`);
  });

  test('over the cap of hashes in flight: 429 with Retry-After, never 503', async () => {
    const h = await harness({ register: roomy, max_password_hashes: 2 });
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        h.api.post('/api/user/register', { username: fresh(), password: 'pass-1234' }),
      ),
    );
    const statuses = answers.map((res) => res.status);
    assert.ok(
      statuses.every((s) => s === 201 || s === 429),
      `statuses ${statuses.join(',')}`,
    );
    assert.ok(statuses.filter((s) => s === 201).length >= 2, 'the cap lets hashes through');
    const refused = answers.filter((res) => res.status === 429);
    assert.ok(refused.length > 0, 'twelve at once exceed a cap of two');
    for (const res of refused) assertRetryAfter(res);
  });
});

describe('login', () => {
  test('is limited per username, whatever the address', async () => {
    const h = await harness({ login: roomy, login_user: { rate: 0.01, burst: 3 } });
    const target = await h.api.newUser('target');
    const other = await h.api.newUser('other');
    const wrong = (username: string) =>
      h.api.post('/api/user/login', { username, password: 'wrong-password' });
    // newUser logged in once: two more attempts empty the bucket of three.
    for (let i = 0; i < 2; i += 1) assert.equal((await wrong(target.username)).status, 401);
    assertRetryAfter(await wrong(target.username.toUpperCase()));
    assert.equal((await wrong(other.username)).status, 401, 'another username has its own bucket');
  });
});
