import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { after, before, test } from 'node:test';
import { portOf } from '../../src/runtime/http-server.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

test('the lean POST /api/seckill answers 413 at the body limit without reading the rest', async () => {
  assert.equal(h.config.seckill.hot_path, true, 'this test runs the lean handler');
  const { token } = await h.api.newUser('body');
  const req = request({
    host: '127.0.0.1',
    port: portOf(h.server),
    method: 'POST',
    path: '/api/seckill',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  req.on('error', () => undefined); // the server closes the connection after its answer
  const answered = new Promise<IncomingMessage>((resolve) => req.once('response', resolve));
  // Chunked, past the 64 kb limit, and never ended: only a handler that stops at the limit
  // can answer.
  req.write(`{"product_id": 1, "pad": "${'x'.repeat(100 * 1024)}`);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer while the body was still open')), 10_000);
  });
  try {
    const res = await Promise.race([answered, deadline]);
    assert.equal(res.statusCode, 413);
    assert.equal(res.headers.connection, 'close');
    res.resume();
  } finally {
    clearTimeout(timer);
    req.destroy();
  }
});
