import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { migrate } from '../../src/infra/db.js';
import type { Config } from '../../src/config/schema.js';
import { Api } from '../support/api.js';
import { envFor, exitOf, LogWatcher, runCli, spawnCli } from '../support/cli.js';
import { dropIsolation } from '../support/cleanup.js';
import { testConfig } from '../support/config.js';

let config: Config;
const dir = mkdtempSync(join(tmpdir(), 'gomall-reload-'));
const file = join(dir, 'extra.yaml');
const env = () =>
  envFor(config, { GOMALL_LOG__LEVEL: 'info', GOMALL_SERVER__PID_FILE: join(dir, 'gomall.pid') });

before(async () => {
  config = testConfig();
  await migrate(config.database);
});
after(async () => {
  await dropIsolation(config);
});

/** Login attempts (wrong password) until one is 429; how many went through before it. */
async function loginsBefore429(api: Api, max: number): Promise<number> {
  for (let i = 0; i < max; i++) {
    const res = await api.post('/api/user/login', { username: 'nobody', password: 'wrong-pass' });
    if (res.status === 429) {
      assert.ok(res.headers.get('retry-after'), '429 carries Retry-After');
      return i;
    }
    assert.equal(res.status, 401);
  }
  return max;
}

test('config reload applies a new rate limit live, and an invalid file changes nothing', async () => {
  writeFileSync(file, 'ratelimit:\n  login: { rate: 50, burst: 50 }\n');
  const server = spawnCli(['serve', '--port', '0', '--config', file], env());
  const logs = new LogWatcher(server);
  try {
    const listening = await logs.waitFor((line) => line['msg'] === 'gomall serve listening');
    const api = new Api(`http://127.0.0.1:${String(listening['port'])}`);
    assert.equal(await loginsBefore429(api, 8), 8, 'burst 50: eight logins pass');

    // Slow refill: the bucket must still be empty at the end, however slow this machine is.
    const slowLogin = 'ratelimit:\n  login: { rate: 0.02, burst: 3 }\n';
    writeFileSync(file, slowLogin);
    const reload = await runCli(['config', 'reload', '--config', file, '--json'], env());
    assert.equal(reload.code, 0, reload.stderr);
    assert.equal(JSON.parse(reload.stdout).pid, server.pid);
    const reloaded = await logs.waitFor((line) => line['msg'] === 'config reloaded');
    assert.deepEqual(reloaded['applied'], ['ratelimit.login.rate', 'ratelimit.login.burst']);
    assert.ok((await loginsBefore429(api, 10)) <= 3, 'the new burst of 3 holds');

    writeFileSync(file, 'ratelimit:\n  login: { rate: -1, burst: 3 }\n');
    const invalid = await runCli(['config', 'reload', '--config', file], env());
    assert.equal(invalid.code, 2, 'the command checks the config before signalling');
    assert.match(invalid.stderr, /^gomall: config: ratelimit\.login\.rate: /);
    // A SIGHUP from elsewhere (kill -HUP) with the invalid file in place:
    process.kill(server.pid!, 'SIGHUP');
    const refused = await logs.waitFor(
      (line) => line['msg'] === 'config reload refused; keeping the running config',
    );
    assert.match(String(refused['err']), /ratelimit\.login\.rate/);
    assert.equal((await api.get('/health')).status, 200, 'the server still answers');
    assert.equal((await api.post('/api/user/login', { username: 'x', password: 'y' })).status, 429);

    // A key read only at start is reported as needing a restart, not as applied.
    writeFileSync(file, `${slowLogin}seckill:\n  hot_path: false\n  outbox_limit: 10\n`);
    process.kill(server.pid!, 'SIGHUP');
    const partly = await logs.waitFor(
      (line) =>
        line['msg'] === 'config reloaded' && JSON.stringify(line).includes('seckill.outbox_limit'),
    );
    assert.deepEqual(partly['applied'], ['seckill.outbox_limit']);
    assert.deepEqual(partly['needsRestart'], ['seckill.hot_path']);

    server.kill('SIGTERM');
    assert.equal(await exitOf(server), 0);
  } finally {
    server.kill('SIGKILL');
  }
});

test('consume reloads its config on SIGHUP instead of dying', async () => {
  writeFileSync(file, 'seckill:\n  batch_size: 100\n');
  const consumer = spawnCli(['consume', '--no-sweeper', '--config', file], env());
  const logs = new LogWatcher(consumer);
  try {
    await logs.waitFor((line) => line['msg'] === 'gomall consume running');
    writeFileSync(file, 'seckill:\n  batch_size: 50\n  prefetch: 7\n');
    consumer.kill('SIGHUP');
    const reloaded = await logs.waitFor((line) => line['msg'] === 'config reloaded');
    assert.deepEqual(reloaded['applied'], ['seckill.batch_size']);
    assert.deepEqual(reloaded['needsRestart'], ['seckill.prefetch']);
    consumer.kill('SIGTERM');
    assert.equal(await exitOf(consumer), 0, 'still running until SIGTERM, then a clean stop');
  } finally {
    consumer.kill('SIGKILL');
  }
});

test('config reload without a running server is one clear line and exit 1', async () => {
  const result = await runCli(
    ['config', 'reload'],
    envFor(config, { GOMALL_SERVER__PID_FILE: join(dir, 'absent.pid') }),
  );
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^gomall: no running server: .*absent\.pid is missing or empty\n$/);
});
