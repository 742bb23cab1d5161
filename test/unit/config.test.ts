import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { maskSecrets } from '../../src/config/mask.js';
import { packageRoot } from '../../src/infra/paths.js';

const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'gomall-config-')), 'extra.yaml');
  writeFileSync(path, text);
  return path;
};

describe('layered config', () => {
  test('defaults, then the env overlay', () => {
    const dev = loadConfig({ env: 'dev', environ: {} });
    assert.equal(dev.server.port, 8080);
    assert.equal(dev.log.level, 'info');
    const test = loadConfig({ env: 'test', environ: {} });
    assert.equal(test.server.port, 0);
    assert.equal(test.log.level, 'silent');
  });

  test('an extra file, then GOMALL_* variables (with __ for nesting, values typed)', () => {
    const config = loadConfig({
      env: 'dev',
      file: file('server:\n  port: 9000\nredis:\n  db: 3\n'),
      environ: {
        GOMALL_SERVER__PORT: '9100',
        GOMALL_RATELIMIT__ENABLED: 'false',
        GOMALL_DATABASE__PASSWORD: '',
      },
    });
    assert.equal(config.server.port, 9100);
    assert.equal(config.redis.db, 3);
    assert.equal(config.ratelimit.enabled, false);
    assert.equal(config.database.password, '');
  });

  test('a bad value is one line naming the key and the rule', () => {
    assert.throws(
      () => loadConfig({ env: 'dev', environ: { GOMALL_SERVER__PORT: 'eighty' } }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /^server\.port: /.test(error.message) &&
        !error.message.includes('\n'),
    );
    assert.throws(
      () => loadConfig({ env: 'dev', environ: { GOMALL_RATELIMIT__API__RATE: '-5' } }),
      { message: /^ratelimit\.api\.rate: / },
    );
    assert.throws(
      () => loadConfig({ env: 'dev', file: file('server:\n  prot: 1\n'), environ: {} }),
      /server: unknown key prot/,
    );
    assert.throws(
      () => loadConfig({ env: 'dev', file: file('server: [\n'), environ: {} }),
      /not valid YAML/,
    );
  });

  test('production refuses the default JWT secret', () => {
    assert.throws(() => loadConfig({ env: 'prod', environ: {} }), {
      message: /^jwt\.secret: the prod environment refuses/,
    });
    const prod = loadConfig({
      env: 'prod',
      environ: {
        GOMALL_JWT__SECRET: 'a-real-production-secret-value',
        GOMALL_PAYMENT__SECRET: 'a-real-payment-secret-value',
      },
    });
    assert.equal(prod.log.level, 'warn');
    assert.equal(prod.payment.simulated_pay, false);
  });

  test('production refuses the default payment secret and simulated payment', () => {
    const jwt = { GOMALL_JWT__SECRET: 'a-real-production-secret-value' };
    assert.throws(() => loadConfig({ env: 'prod', environ: jwt }), {
      message: /^payment\.secret: the prod environment refuses the default secret/,
    });
    const environ = { ...jwt, GOMALL_PAYMENT__SECRET: 'a-real-payment-secret-value' };
    assert.throws(
      () =>
        loadConfig({ env: 'prod', environ: { ...environ, GOMALL_PAYMENT__SIMULATED_PAY: 'true' } }),
      { message: /^payment\.simulated_pay: the prod environment refuses simulated payment/ },
    );
    for (const env of ['dev', 'test'])
      assert.equal(loadConfig({ env, environ: {} }).payment.simulated_pay, true);
  });

  test('every environment but dev and test refuses the default JWT secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gomall-conf-'));
    copyFileSync(join(packageRoot(), 'conf', 'config.yaml'), join(dir, 'config.yaml'));
    for (const env of ['staging', 'dev', 'test'])
      writeFileSync(join(dir, `config-${env}.yaml`), '');
    assert.throws(() => loadConfig({ dir, env: 'staging', environ: {} }), {
      message: /^jwt\.secret: the staging environment refuses the default secret/,
    });
    const staging = loadConfig({
      dir,
      env: 'staging',
      environ: {
        GOMALL_JWT__SECRET: 'a-real-staging-secret-value',
        GOMALL_PAYMENT__SECRET: 'a-real-staging-payment-secret',
      },
    });
    assert.equal(staging.jwt.secret, 'a-real-staging-secret-value');
    for (const env of ['dev', 'test']) assert.ok(loadConfig({ dir, env, environ: {} }));
  });

  test('a named overlay that does not exist is an error', () => {
    assert.throws(() => loadConfig({ env: 'staging', environ: {} }), {
      message: /^config file not found: .*config-staging\.yaml$/,
    });
  });

  test('masking hides passwords and secrets, keeps empty ones visible as empty', () => {
    const config = loadConfig({
      env: 'dev',
      environ: { GOMALL_RABBITMQ__PASSWORD: 'hunter2-rabbit' },
    });
    const masked = maskSecrets(config);
    assert.equal(masked.jwt.secret, '********');
    assert.equal(masked.rabbitmq.password, '********');
    assert.equal(masked.database.password, '');
    assert.doesNotMatch(JSON.stringify(masked), /hunter2|gomall-dev-secret/);
    assert.equal(masked.server.port, config.server.port);
  });
});
