import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { dropDatabase, migrate } from '../../src/infra/db.js';
import type { Config } from '../../src/config/schema.js';
import { Api } from '../support/api.js';
import { envFor, exitOf, LogWatcher, runCli, spawnCli } from '../support/cli.js';
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
  await dropDatabase(config.database);
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

    writeFileSync(file, 'ratelimit:\n  login: { rate: 0.5, burst: 3 }\n');
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

    server.kill('SIGTERM');
    assert.equal(await exitOf(server), 0);
  } finally {
    server.kill('SIGKILL');
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
