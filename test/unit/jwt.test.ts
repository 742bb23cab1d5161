import assert from 'node:assert/strict';
import { test } from 'node:test';
import jwt from 'jsonwebtoken';
import { createJwtCodec } from '../../src/auth/jwt.js';

const settings = { secret: 'unit-test-secret-0123456789', ttl_seconds: 60, issuer: 'gomall' };

test('sign then verify gives the principal back', () => {
  const codec = createJwtCodec(settings);
  const issued = codec.sign({ id: 42, role: 'admin' });
  assert.deepEqual(codec.verify(issued.token), { id: 42, role: 'admin' });
  const claims = jwt.decode(issued.token) as { sub: string; exp: number };
  assert.equal(claims.sub, '42');
  assert.equal(new Date(claims.exp * 1000).toISOString(), issued.expires_at);
});

test('bad tokens verify to null', () => {
  const codec = createJwtCodec(settings);
  const other = createJwtCodec({ ...settings, secret: 'another-secret-0123456789' });
  assert.equal(codec.verify(other.sign({ id: 1, role: 'user' }).token), null);
  assert.equal(codec.verify('garbage'), null);
  const wrongIssuer = createJwtCodec({ ...settings, issuer: 'someone-else' });
  assert.equal(codec.verify(wrongIssuer.sign({ id: 1, role: 'user' }).token), null);
  const badRole = jwt.sign({ sub: '1', role: 'root' }, settings.secret, {
    issuer: 'gomall',
    expiresIn: 60,
  });
  assert.equal(codec.verify(badRole), null);
  const hs512 = jwt.sign({ sub: '1', role: 'user' }, settings.secret, {
    algorithm: 'HS512',
    issuer: 'gomall',
    expiresIn: 60,
  });
  assert.equal(codec.verify(hs512), null);
});
