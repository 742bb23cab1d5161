import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mainThreadCpu } from '../support/event-loop.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

/** `Bearer a.` + 15,000 × a + `!`: ~15 KB, under node's 16 KB header limit. */
const HOSTILE = `Bearer a.${'a'.repeat(15_000)}!`;

/** How many GET 401s on the profile route /metrics has seen. */
async function profile401s() {
  const text = (await h.api.get('/metrics')).text;
  const read = (pattern: string) =>
    Number(
      new RegExp(`^${pattern}.*route="[^"]*profile",status_code="401"} (\\d+)$`, 'm').exec(
        text,
      )?.[1] ?? 0,
    );
  return read('http_request_duration_seconds_count\\{method="GET"');
}

describe('a hostile Authorization header', () => {
  test('is a quick 401 that does not hold the event loop', async () => {
    const { token } = await h.api.newUser('auth');
    const { result, cpuMs } = await mainThreadCpu(() =>
      Promise.all([
        ...Array.from({ length: 5 }, () =>
          h.api.get('/api/user/profile', { headers: { authorization: HOSTILE } }),
        ),
        h.api.get('/api/user/profile', { token }),
      ]),
    );
    const control = result.pop()!;
    for (const res of result) {
      assert.equal(res.status, 401);
      assert.equal(res.body.reason, 'UNAUTHORIZED');
    }
    assert.equal(control.status, 200, 'the concurrent normal request is served');
    // The backtracking parser spent ~440 ms of main-thread CPU per header (over 2 s for
    // these five); a linear parse well under a ms each.
    assert.ok(cpuMs < 600, `main thread used ${cpuMs.toFixed(0)} ms`);
    // Main-thread CPU, not wall time, is the measure: on a loaded machine an answer can wait
    // for a CPU longer than any handler runs.
    assert.equal(await profile401s(), 5);
  });

  test('on the lean POST /api/seckill too', async () => {
    // Five at once: the backtracking regex spent ~150 ms of main-thread CPU on each of these
    // headers on this machine (~0.8 s for five), the linear parse a fraction of a ms each, so
    // a cap of 150 ms for all five (with the client's own work in the same process) tells them
    // apart with room on both sides.
    const { result, cpuMs } = await mainThreadCpu(() =>
      Promise.all(
        Array.from({ length: 5 }, () =>
          h.api.post('/api/seckill', { product_id: 1 }, { headers: { authorization: HOSTILE } }),
        ),
      ),
    );
    for (const res of result) {
      assert.equal(res.status, 401);
      assert.match(res.body.msg, /malformed Authorization header/);
    }
    assert.ok(cpuMs < 150, `main thread used ${cpuMs.toFixed(0)} ms`);
  });
});

describe('a stale or invalid token where none is needed', () => {
  const stale = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';

  test('is ignored on public routes and on login, and still 401 on private ones', async () => {
    const username = `stale_${Math.random().toString(36).slice(2, 10)}`;
    const password = 'stale-pass-1';
    const headers = { authorization: stale };
    const reg = await h.api.post('/api/user/register', { username, password }, { headers });
    assert.equal(reg.status, 201);
    const login = await h.api.post('/api/user/login', { username, password }, { headers });
    assert.equal(login.status, 200);
    assert.equal((await h.api.get('/api/product', { headers })).status, 200);
    const profile = await h.api.get('/api/user/profile', { headers });
    assert.equal(profile.status, 401);
    assert.match(profile.body.msg, /invalid or expired token/);
  });
});
