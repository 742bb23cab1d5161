import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDb, dropDatabase, migrate, type Knex } from '../../src/infra/db.js';
import { checkPassword } from '../../src/user/password.js';
import { envFor, runCli } from '../support/cli.js';
import { testConfig } from '../support/config.js';

const config = testConfig();
const env = envFor(config);
const gomall = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  runCli(args, { ...env, ...extra });

let db: Knex;

before(async () => {
  await migrate(config.database);
  db = createDb(config.database);
});
after(async () => {
  await db?.destroy();
  await dropDatabase(config.database);
});

const userRow = (username: string) =>
  db('users')
    .select('id', 'username', 'role', 'email', 'password_hash')
    .where({ username })
    .first();

describe('user create', () => {
  test('--json creates a user row holding a hash of the password, never the password', async () => {
    const run = await gomall([
      'user',
      'create',
      '--username',
      'cli_alice',
      '--password',
      'alice-pass-1',
      '--email',
      'alice@example.com',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const shown = JSON.parse(run.stdout) as Record<string, unknown>;
    const row = await userRow('cli_alice');
    assert.ok(row, 'the row exists');
    assert.equal(shown['id'], Number(row.id));
    assert.equal(shown['username'], 'cli_alice');
    assert.equal(shown['role'], 'user');
    assert.equal(row.role, 'user');
    assert.equal(row.email, 'alice@example.com');
    assert.ok(!run.stdout.includes('alice-pass-1'), 'the password is not printed');
    assert.notEqual(row.password_hash, 'alice-pass-1');
    assert.ok(await checkPassword('alice-pass-1', row.password_hash as string));
  });

  test('--admin gives the admin role; the password may come from GOMALL_USER_PASSWORD', async () => {
    const run = await gomall(['user', 'create', '--username', 'cli_root', '--admin'], {
      GOMALL_USER_PASSWORD: 'root-pass-123',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /created admin cli_root \(id \d+\)/);
    const row = await userRow('cli_root');
    assert.equal(row?.role, 'admin');
    assert.ok(await checkPassword('root-pass-123', row!.password_hash as string));
  });

  test('a duplicate username is a one-line error and a non-zero exit, the first user untouched', async () => {
    const before = await userRow('cli_alice');
    const run = await gomall([
      'user',
      'create',
      '--username',
      'cli_alice',
      '--password',
      'other-pass-2',
      '--admin',
    ]);
    assert.notEqual(run.code, 0);
    assert.equal(run.stderr, 'gomall: username: "cli_alice" is taken\n');
    assert.equal(run.stdout, '');
    assert.deepEqual(await userRow('cli_alice'), before);
    assert.equal((await db('users').where({ username: 'cli_alice' }).count({ n: '*' }))[0]!.n, 1);
  });

  test('a bad username is refused before the database, naming the field', async () => {
    const run = await gomall(['user', 'create', '--username', 'x', '--password', 'good-pass-3']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /^gomall: username: [^\n]+\n$/);
    assert.equal(await userRow('x'), undefined);
  });
});

describe('config show', () => {
  const secrets = {
    GOMALL_DATABASE__PASSWORD: 'db-secret-value',
    GOMALL_REDIS__PASSWORD: 'redis-secret-value',
    GOMALL_RABBITMQ__PASSWORD: 'mq-secret-value',
    GOMALL_JWT__SECRET: 'jwt-secret-value-long-enough',
    GOMALL_PAYMENT__SECRET: 'payment-secret-value-long',
    GOMALL_SERVER__PORT: '9123',
  };

  test('--json is the effective config with every secret masked', async () => {
    const run = await gomall(['config', 'show', '--json'], secrets);
    assert.equal(run.code, 0, run.stderr);
    const shown = JSON.parse(run.stdout) as Record<string, Record<string, unknown>>;
    assert.equal(shown['server']!['port'], 9123, 'a variable overrides the files');
    assert.equal(shown['database']!['name'], config.database.name);
    assert.equal(shown['database']!['password'], '********');
    assert.equal(shown['redis']!['password'], '********');
    assert.equal(shown['rabbitmq']!['password'], '********');
    assert.equal(shown['jwt']!['secret'], '********');
    assert.equal(shown['payment']!['secret'], '********');
    for (const value of Object.values(secrets).slice(0, 5))
      assert.ok(!run.stdout.includes(value), 'no secret in the output');
  });

  test('the YAML view masks the same secrets', async () => {
    const run = await gomall(['config', 'show'], secrets);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^server:\n/);
    assert.match(run.stdout, /\n {2}port: 9123\n/);
    assert.match(run.stdout, /\n {2}secret: "?\*{8}"?\n/);
    for (const value of Object.values(secrets).slice(0, 5))
      assert.ok(!run.stdout.includes(value), 'no secret in the output');
  });
});
