import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';

const environ = (extra: Record<string, string> = {}) => {
  const env = { ...process.env, ...extra };
  delete env['GOMALL_ENV'];
  return env;
};

test('an --env whose overlay does not exist is an error, not silently skipped', async () => {
  const res = await runCli(['config', 'show', '--env', 'staging'], environ());
  assert.equal(res.code, 2);
  assert.match(res.stderr, /config file not found: .*config-staging\.yaml/);
  assert.equal(res.stderr.trim().split('\n').length, 1, 'one line');
});

test('the shipped overlays still load', async () => {
  for (const env of ['dev', 'test']) {
    const res = await runCli(['config', 'show', '--env', env, '--json'], environ());
    assert.equal(res.code, 0, `${env}: ${res.stderr}`);
  }
  const prod = await runCli(
    ['config', 'show', '--env', 'prod', '--json'],
    environ({
      GOMALL_JWT__SECRET: 'a-real-production-secret-value',
      GOMALL_PAYMENT__SECRET: 'a-real-payment-secret-value',
    }),
  );
  assert.equal(prod.code, 0, prod.stderr);
});
