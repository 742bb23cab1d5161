import assert from 'node:assert/strict';
import { createSecretKey } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import jwt from 'jsonwebtoken';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

describe('register → login → profile', () => {
  test('a new user can register, log in and read the profile, in the envelope', async () => {
    const reg = await h.api.post('/api/user/register', {
      username: 'alice_01',
      password: 'alice-pass-1',
      email: 'alice@example.com',
    });
    assert.equal(reg.status, 201);
    assert.equal(reg.body.code, 201);
    assert.equal(reg.body.data.username, 'alice_01');
    assert.ok(Number.isInteger(reg.body.data.id));

    const login = await h.api.post('/api/user/login', {
      username: 'alice_01',
      password: 'alice-pass-1',
    });
    assert.equal(login.status, 200);
    assert.equal(login.body.code, 200);
    assert.match(login.body.data.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.ok(Date.parse(login.body.data.expires_at) > Date.now());
    assert.equal(login.body.data.user.username, 'alice_01');

    const profile = await h.api.get('/api/user/profile', { token: login.body.data.token });
    assert.equal(profile.status, 200);
    assert.deepEqual(
      {
        id: profile.body.data.id,
        username: profile.body.data.username,
        email: profile.body.data.email,
        role: profile.body.data.role,
      },
      { id: reg.body.data.id, username: 'alice_01', email: 'alice@example.com', role: 'user' },
    );
    for (const response of [reg, login, profile]) {
      assert.doesNotMatch(response.text, /password_hash|\$2[aby]\$/, 'no hash in any response');
    }
  });

  test('a taken username is 409 CONFLICT', async () => {
    await h.api.post('/api/user/register', { username: 'dup_user', password: 'secret-pass' });
    const again = await h.api.post('/api/user/register', {
      username: 'dup_user',
      password: 'other-pass',
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.reason, 'CONFLICT');
    assert.match(again.body.msg, /username/);
  });

  test('a wrong password and an unknown user are both 401', async () => {
    await h.api.post('/api/user/register', { username: 'bob_01', password: 'right-pass' });
    const wrong = await h.api.post('/api/user/login', {
      username: 'bob_01',
      password: 'wrong-pass',
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.reason, 'UNAUTHORIZED');
    const unknown = await h.api.post('/api/user/login', {
      username: 'nobody_here',
      password: 'whatever',
    });
    assert.equal(unknown.status, 401);
  });
});

describe('bad input is 400 naming the field', () => {
  test('wrong type', async () => {
    const res = await h.api.post('/api/user/register', {
      username: 12345,
      password: 'secret-pass',
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.reason, 'VALIDATION_ERROR');
    assert.match(res.body.msg, /^username:/);
  });
  test('missing field', async () => {
    const res = await h.api.post('/api/user/register', { username: 'carol_01' });
    assert.equal(res.status, 400);
    assert.match(res.body.msg, /^password:/);
  });
  test('malformed JSON', async () => {
    const res = await h.api.post('/api/user/login', '{"username": "x",');
    assert.equal(res.status, 400);
    assert.match(res.body.msg, /JSON/);
  });
  test('an unknown route is a 404 envelope', async () => {
    const res = await h.api.get('/api/nothing-here');
    assert.equal(res.status, 404);
    assert.equal(res.body.reason, 'NOT_FOUND');
  });
});

describe('tokens', () => {
  let userId: number;
  before(async () => {
    const user = await h.api.newUser('tok');
    userId = user.id;
  });

  const profileWith = (authorization?: string) =>
    h.api.get(
      '/api/user/profile',
      authorization === undefined ? {} : { headers: { authorization } },
    );

  test('missing token is 401', async () => {
    const res = await profileWith();
    assert.equal(res.status, 401);
    assert.equal(res.body.reason, 'UNAUTHORIZED');
  });
  test('garbled token is 401', async () => {
    assert.equal((await profileWith('Bearer not.a.token')).status, 401);
    assert.equal((await profileWith('Basic dXNlcjpwYXNz')).status, 401);
  });
  test('expired token is 401', async () => {
    const key = createSecretKey(Buffer.from(h.config.jwt.secret));
    const token = jwt.sign(
      { sub: String(userId), role: 'user', exp: Math.floor(Date.now() / 1000) - 10 },
      key,
      {
        algorithm: 'HS256',
        issuer: h.config.jwt.issuer,
      },
    );
    assert.equal((await profileWith(`Bearer ${token}`)).status, 401);
  });
  test('token signed with another secret is 401', async () => {
    const token = jwt.sign(
      { sub: String(userId), role: 'admin' },
      'some-other-secret-of-enough-length',
      {
        algorithm: 'HS256',
        issuer: h.config.jwt.issuer,
        expiresIn: 600,
      },
    );
    assert.equal((await profileWith(`Bearer ${token}`)).status, 401);
  });
  test('alg:none token is 401', async () => {
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: String(userId), role: 'admin', iss: h.config.jwt.issuer, exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    assert.equal((await profileWith(`Bearer ${token}`)).status, 401);
  });
  test('a valid token works (control)', async () => {
    const token = h.jwt.sign({ id: userId, role: 'user' }).token;
    assert.equal((await profileWith(`Bearer ${token}`)).status, 200);
  });
});

test('X-Request-Id is echoed when sent and generated otherwise', async () => {
  const echoed = await h.api.get('/health', { headers: { 'x-request-id': 'trace-abc-123' } });
  assert.equal(echoed.headers.get('x-request-id'), 'trace-abc-123');
  const generated = await h.api.get('/health');
  assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
});
