import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../../src/infra/logger.js';

test('passwords, secrets, tokens and the Authorization header never reach the log', async () => {
  const out = new PassThrough();
  let written = '';
  out.on('data', (chunk: Buffer) => (written += chunk.toString()));
  const logger = createLogger({ level: 'info', destination: out });
  logger.info({ req: { headers: { authorization: 'Bearer abc.def.ghi' } } }, 'request');
  logger.info({ body: { username: 'u', password: 'p4ssw0rd!' } }, 'body');
  logger.info({ config: { jwt: { secret: 's3cr3t-value' } }, token: 'tok-value' }, 'config');
  await new Promise((resolve) => setImmediate(resolve));
  assert.match(written, /\[REDACTED\]/);
  for (const leaked of ['abc.def.ghi', 'p4ssw0rd!', 's3cr3t-value', 'tok-value']) {
    assert.ok(!written.includes(leaked), `${leaked} leaked into the log`);
  }
  assert.match(written, /"username":"u"/);
});
