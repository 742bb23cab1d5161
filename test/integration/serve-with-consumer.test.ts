import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createDb } from '../../src/infra/db.js';
import { Api } from '../support/api.js';
import { dropIsolation } from '../support/cleanup.js';
import { envFor, exitOf, LogWatcher, runCli, spawnCli } from '../support/cli.js';
import { testConfig } from '../support/config.js';
import { waitFor } from '../support/wait.js';

const config = testConfig();
const env = envFor(config, {
  GOMALL_LOG__LEVEL: 'info',
  GOMALL_USER_PASSWORD: 'admin-pass',
  GOMALL_SERVER__PID_FILE: join(mkdtempSync(join(tmpdir(), 'gomall-run-')), 'gomall.pid'),
});
const db = createDb(config.database);
after(async () => {
  await db.destroy();
  await dropIsolation(config);
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('serve --with-consumer (make run): a purchase becomes an order row with no other process started; SIGTERM stops both', async () => {
  const server = spawnCli(['serve', '--port', '0', '--migrate', '--with-consumer'], env);
  const logs = new LogWatcher(server);
  let consumerPid = 0;
  try {
    const listening = await logs.waitFor(
      (line) => line['msg'] === 'gomall serve listening',
      60_000,
    );
    const started = await logs.waitFor((line) => line['msg'] === 'order consumer started');
    consumerPid = Number(started['consumer']);
    // One stream: the consumer's own lines arrive on serve's stdout, named by their process.
    const consuming = await logs.waitFor(
      (line) => line['msg'] === 'gomall consume running',
      60_000,
    );
    assert.equal(consuming['name'], 'consume');
    assert.equal(consuming['pid'], consumerPid);
    assert.equal(listening['name'], 'serve');

    const api = new Api(`http://127.0.0.1:${String(listening['port'])}`);
    const created = await runCli(['user', 'create', '--username', 'shopkeeper', '--admin'], env);
    assert.equal(created.code, 0, created.stderr);
    const login = async (username: string, password: string) => {
      const res = await api.post('/api/user/login', { username, password });
      assert.equal(res.status, 200, res.text);
      return String(res.body.data.token);
    };
    const admin = await login('shopkeeper', 'admin-pass');
    const product = await api.post(
      '/api/product',
      { name: 'Lamp', price: '19.90', stock: 10 },
      { token: admin },
    );
    assert.equal(product.status, 201, product.text);
    const productId = Number(product.body.data.id);
    const init = await api.post(
      '/api/seckill/init',
      { product_id: productId, stock: 5 },
      { token: admin },
    );
    assert.equal(init.status, 201, init.text);

    assert.equal(
      (await api.post('/api/user/register', { username: 'alice', password: 'alice-pass' })).status,
      201,
    );
    const buyer = await login('alice', 'alice-pass');
    const bought = await api.post('/api/seckill', { product_id: productId }, { token: buyer });
    assert.equal(bought.status, 202, bought.text);
    const orderNo = String(bought.body.data.order_no);

    const row = await waitFor(
      async () => (await db('orders').where({ order_no: orderNo }).first()) as unknown,
      15_000,
      `order ${orderNo} in MySQL`,
    );
    assert.ok(row);
    const result = await api.get(`/api/seckill/result?product_id=${productId}`, { token: buyer });
    assert.deepEqual(
      { status: result.body.data.status, order_no: result.body.data.order_no },
      { status: 'success', order_no: orderNo },
    );

    // `make stop`: SIGTERM to serve alone; it stops the consumer and waits for it.
    server.kill('SIGTERM');
    assert.equal(await exitOf(server), 0);
    assert.ok(
      logs.lines.some((line) => line['name'] === 'consume' && line['msg'] === 'stopped'),
      'the consumer drained and said so before serve exited',
    );
    assert.equal(alive(consumerPid), false, 'the consumer is gone with the server');
  } finally {
    server.kill('SIGKILL');
    if (consumerPid && alive(consumerPid)) process.kill(consumerPid, 'SIGKILL');
  }
});
