import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  chmod,
  copyFile,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BackupFileError } from '../../src/backup/dump-file.js';
import { createBackup, type BackupResult } from '../../src/backup/dump.js';
import { listBackups } from '../../src/backup/naming.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { countRows } from '../../src/backup/row-counts.js';
import { DUMP_TOOLS, findTool } from '../../src/backup/tools.js';
import { verifyBackup } from '../../src/backup/verify.js';
import { createDb, dropDatabase, migrate, type Knex } from '../../src/infra/db.js';
import { envFor, runCli } from '../support/cli.js';
import { testConfig } from '../support/config.js';

const config = testConfig();
const live = config.database.name;
let db: Knex;
let dir: string;
let backup: BackupResult;

/** Everything a restore must bring back, value for value. */
async function snapshot(): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = { counts: Object.fromEntries(await countRows(db, live)) };
  for (const table of ['users', 'products', 'blobs']) state[table] = await db(table).orderBy('id');
  return state;
}

/** Databases restore or verify made next to the live one and should have dropped. */
async function leftovers(): Promise<string[]> {
  const [rows] = (await db.raw('SHOW DATABASES')) as [Array<{ Database: string }>];
  return rows.map((row) => row.Database).filter((name) => name.startsWith(`${live}__`));
}

async function seed(): Promise<void> {
  await db('users').insert([
    { username: 'alice', email: 'a@example.com', password_hash: 'h1' },
    // Quotes, backslashes, a newline, parens, ";" and non-ASCII: everything the dump escapes.
    { username: "o'brien\\(x);", email: 'line1\nline2', password_hash: '"h2"' },
    { username: 'zoë_漢字_🙂', email: null, password_hash: 'h3', role: 'admin' },
  ]);
  await db('products').insert([
    { name: 'phone', description: "a (very) 'good'; phone\r\n\t", price: '19.90', stock: 5 },
    { name: 'cable', description: null, price: '0.10', stock: 0, category: 'misc' },
  ]);
  await db.raw('CREATE TABLE blobs (id INT PRIMARY KEY, data BLOB NOT NULL) ENGINE=InnoDB');
  await db('blobs').insert([
    { id: 1, data: Buffer.from([0x00, 0x27, 0x0a, 0x5c, 0x28, 0x3b, 0xff]) },
    { id: 2, data: randomBytes(4096) },
  ]);
}

before(async () => {
  await migrate(config.database);
  db = createDb(config.database);
  dir = await mkdtemp(join(tmpdir(), 'gomall-backup-test-'));
  await seed();
});

after(async () => {
  await db.destroy();
  await dropDatabase(config.database);
  await rm(dir, { recursive: true, force: true });
});

describe('backup', () => {
  test('writes a complete, private .sql.gz and counts each table’s rows from the dump', async () => {
    backup = await createBackup(config.database, { dir, keep: 10 });
    assert.match(backup.file, new RegExp(`/${live}-\\d{8}T\\d{6}\\.\\d{3}Z\\.sql\\.gz$`));
    const info = await stat(backup.file);
    assert.equal(info.mode & 0o777, 0o600);
    assert.equal(backup.bytes, info.size);
    assert.deepEqual(
      Object.fromEntries(backup.tables.map(({ table, rows }) => [table, rows])),
      Object.fromEntries(await countRows(db, live)),
    );
    assert.equal(backup.tables.find((t) => t.table === 'users')?.rows, 3);
    assert.deepEqual(await readdir(dir), [backup.file.slice(dir.length + 1)]);
    const sql = gunzipSync(await readFile(backup.file)).toString();
    assert.match(sql, /-- Dump completed/);
    assert.doesNotMatch(sql, /^USE /m);
  });

  test('keeps only the newest --keep backups of the database', async () => {
    const pruneDir = await mkdtemp(join(tmpdir(), 'gomall-prune-it-'));
    const made: string[] = [];
    for (let i = 0; i < 3; i++)
      made.push((await createBackup(config.database, { dir: pruneDir, keep: 2 })).file);
    const kept = await listBackups(pruneDir, live);
    assert.deepEqual(
      kept.map((file) => file.path),
      [made[2], made[1]],
    );
    await rm(pruneDir, { recursive: true });
  });

  test('the password reaches the dump tool through the defaults file only', async () => {
    const user = `bk_${randomBytes(4).toString('hex')}`;
    const password = `p#;"'\\ ${randomBytes(6).toString('hex')}`;
    await db.raw('CREATE USER ??@? IDENTIFIED BY ?', [user, '%', password]);
    await db.raw('GRANT ALL ON ??.* TO ??@?', [live, user, '%']);
    // A stand-in first on PATH records how it was started, then runs the real tool.
    const fake = await mkdtemp(join(tmpdir(), 'gomall-fake-dump-'));
    const real = findTool(DUMP_TOOLS);
    await writeFile(
      join(fake, 'mariadb-dump'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${fake}/args'\nenv > '${fake}/env'\nexec '${real}' "$@"\n`,
    );
    await chmod(join(fake, 'mariadb-dump'), 0o755);
    const path = process.env['PATH'];
    process.env['PATH'] = `${fake}:${path}`;
    try {
      const result = await createBackup(
        { ...config.database, username: user, password },
        { dir: join(fake, 'out'), keep: 1 },
      );
      assert.equal(result.tables.find((t) => t.table === 'users')?.rows, 3);
      const args = await readFile(join(fake, 'args'), 'utf8');
      assert.match(args, /^--defaults-extra-file=/);
      assert.ok(!args.includes(password.slice(0, 6)), args);
      assert.ok(!args.includes(password), args);
      const env = await readFile(join(fake, 'env'), 'utf8');
      assert.ok(!env.includes(password) && !env.includes('MYSQL_PWD'));
    } finally {
      process.env['PATH'] = path;
      await db.raw('DROP USER ??@?', [user, '%']);
      await rm(fake, { recursive: true, force: true });
    }
  });
});

describe('restore', () => {
  test('backup → change the data → restore: the data is as it was', async () => {
    const original = await restoreBackup(config.database, backup.file);
    assert.equal(original.restored, true); // Already equal: the backup is of this state.
    const saved = await snapshot();

    await db('users').insert({ username: 'mallory', password_hash: 'x' });
    await db('users').where({ username: 'alice' }).update({ email: 'changed@example.com' });
    await db('products').where({ name: 'cable' }).delete();
    await db('blobs').where({ id: 2 }).delete();
    await db.raw('CREATE TABLE added_later (id INT PRIMARY KEY)');
    assert.notDeepEqual(await snapshot(), saved);

    const result = await restoreBackup(config.database, backup.file);
    assert.equal(result.restored, true);
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(await snapshot(), saved);
    assert.ok(!(await countRows(db, live)).has('added_later'));
    assert.deepEqual(await leftovers(), []);

    // Foreign keys point at the restored tables: a known user can fill a cart, an unknown cannot.
    const [product] = (await db('products').select('id').limit(1)) as Array<{ id: number }>;
    const [alice] = (await db('users').where({ username: 'alice' }).select('id')) as Array<{
      id: number;
    }>;
    await db('cart_items').insert({ user_id: alice!.id, product_id: product!.id, quantity: 1 });
    await assert.rejects(
      db('cart_items').insert({ user_id: 999_999, product_id: product!.id, quantity: 1 }),
      {
        code: 'ER_NO_REFERENCED_ROW_2',
      },
    );
    await db('cart_items').delete();
  });

  test('asks after checking the file, and a "no" changes nothing', async () => {
    await db('users').insert({ username: 'kept', password_hash: 'x' });
    const changed = await snapshot();
    let asked: Map<string, number> | undefined;
    const result = await restoreBackup(config.database, backup.file, {
      confirm: async (dump) => {
        asked = dump.rows;
        return false;
      },
    });
    assert.equal(result.restored, false);
    assert.equal(asked?.get('users'), 3);
    assert.deepEqual(await snapshot(), changed);
    await db('users').where({ username: 'kept' }).delete();
  });

  const badFiles: Array<[string, (file: string) => Promise<void>, RegExp]> = [
    [
      'a truncated file',
      async (file) => {
        await copyFile(backup.file, file);
        await truncate(file, Math.floor(backup.bytes / 2));
      },
      /truncated \(the gzip stream ends early\)/,
    ],
    [
      'a file that is not gzip',
      (file) => writeFile(file, 'DROP TABLE users;\n'),
      /not a gzip file/,
    ],
    ['an empty file', (file) => writeFile(file, ''), /not a gzip file/],
    [
      'a gzip file that is not a dump',
      (file) => writeFile(file, gzipSync('DROP TABLE users;\n')),
      /not a mysqldump \/ mariadb-dump file/,
    ],
    [
      'a whole gzip of a dump cut short',
      async (file) => {
        const sql = gunzipSync(await readFile(backup.file));
        await writeFile(file, gzipSync(sql.subarray(0, Math.floor(sql.length * 0.6))));
      },
      /incomplete dump/,
    ],
    [
      'a dump that switches database',
      async (file) => {
        const sql = gunzipSync(await readFile(backup.file)).toString();
        await writeFile(file, gzipSync(sql.replace('\n--\n', `\nUSE \`${live}\`;\n--\n`)));
      },
      /names a database/,
    ],
  ];
  for (const [what, make, message] of badFiles) {
    test(`${what} is a clear error and the live database is untouched`, async () => {
      await db('users').insert({ username: 'after_backup', password_hash: 'x' });
      const changed = await snapshot();
      const file = join(dir, `bad-${randomBytes(3).toString('hex')}.sql.gz`);
      await make(file);
      const failure = restoreBackup(config.database, file);
      await assert.rejects(failure, (error: Error) => {
        assert.ok(error instanceof BackupFileError, String(error));
        assert.match(error.message, message);
        assert.ok(error.message.startsWith(file));
        assert.ok(!error.message.includes('\n'));
        return true;
      });
      assert.deepEqual(await snapshot(), changed);
      assert.deepEqual(await leftovers(), []);
      await db('users').where({ username: 'after_backup' }).delete();
      await rm(file);
    });
  }

  test('a dump that fails halfway through loading leaves the live database untouched', async () => {
    const sql = gunzipSync(await readFile(backup.file)).toString();
    // Well-formed file, header and trailer included, but the server rejects a statement midway.
    const broken = sql.replace(
      '-- Table structure for table `products`',
      'INSERT INTO no_such_table VALUES (1);\n--',
    );
    assert.notEqual(broken, sql);
    const file = join(dir, 'fails-to-load.sql.gz');
    await writeFile(file, gzipSync(broken));
    await db('users').insert({ username: 'after_backup', password_hash: 'x' });
    const changed = await snapshot();
    await assert.rejects(
      restoreBackup(config.database, file),
      /^Error: mariadb: ERROR 1146 .*no_such_table/,
    );
    assert.deepEqual(await snapshot(), changed);
    assert.deepEqual(await leftovers(), []);
    await db('users').where({ username: 'after_backup' }).delete();
  });
});

describe('restore refuses what the table swap cannot carry, before touching anything', () => {
  test('a live table with a trigger', async () => {
    await db.raw(
      'CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW SET NEW.updated_at = NEW.updated_at',
    );
    try {
      const state = await snapshot();
      await assert.rejects(
        restoreBackup(config.database, backup.file),
        /has triggers \(users_touch\)/,
      );
      assert.deepEqual(await snapshot(), state);
      assert.deepEqual(await leftovers(), []);
    } finally {
      await db.raw('DROP TRIGGER users_touch');
    }
  });

  test('a dump holding a view', async () => {
    await db.raw('CREATE VIEW admins AS SELECT id, username FROM users WHERE role = ?', ['admin']);
    try {
      const withView = await createBackup(config.database, { dir, keep: 10 });
      await db('users').insert({ username: 'after_view_backup', password_hash: 'x' });
      const state = await snapshot();
      await assert.rejects(
        restoreBackup(config.database, withView.file),
        /the dump holds view admins/,
      );
      assert.deepEqual(await snapshot(), state);
      assert.deepEqual(await leftovers(), []);
      await rm(withView.file);
    } finally {
      await db('users').where({ username: 'after_view_backup' }).delete();
      await db.raw('DROP VIEW admins');
    }
  });
});

describe('verify', () => {
  test('passes on a fresh backup and fails once a row is added', async () => {
    const fresh = await createBackup(config.database, { dir, keep: 10 });
    const good = await verifyBackup(config.database, fresh.file);
    assert.equal(good.ok, true, JSON.stringify(good.tables));
    assert.ok(good.tables.length >= 8);

    await db('users').insert({ username: 'newcomer', password_hash: 'x' });
    const bad = await verifyBackup(config.database, fresh.file);
    assert.equal(bad.ok, false);
    assert.deepEqual(
      bad.tables.filter((t) => !t.match),
      [{ table: 'users', backup: 3, live: 4, match: false }],
    );
    assert.deepEqual(await leftovers(), []);
    await db('users').where({ username: 'newcomer' }).delete();
  });

  test('a bad file is the same clear error as for restore', async () => {
    const file = join(dir, 'not-gzip.sql.gz');
    await writeFile(file, 'hello');
    await assert.rejects(verifyBackup(config.database, file), /not a gzip file/);
  });
});

describe('the commands', () => {
  const env = envFor(config);

  const run = (args: string[]) => runCli(args, env);

  test('restore refuses without --yes when stdin is not a terminal, in one line', async () => {
    const { code, stdout, stderr } = await run(['backup', 'restore', backup.file]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(stderr, 'gomall: refusing to restore without --yes: stdin is not a terminal\n');
  });

  test('restore refuses a dump reaching into another database, anywhere on a line, and touches nothing', async () => {
    // Data that merely holds the refused words restores.
    const words = 'USE other; GRANT ALL ON *.* TO x; CREATE USER y; DROP DATABASE z; gomall.users';
    await db('products').insert({ name: 'words', description: words, price: '1.00', stock: 1 });
    const out = await mkdtemp(join(tmpdir(), 'gomall-cli-guard-'));
    const made = await run(['backup', '--out', out, '--keep', '1', '--json']);
    assert.equal(made.code, 0, made.stderr);
    const { file } = JSON.parse(made.stdout) as BackupResult;
    await db('products').where({ name: 'words' }).delete();
    const restored = await run(['backup', 'restore', file, '--yes']);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(await db('products').where({ name: 'words' }).pluck('description'), [words]);

    // The same dump with a write into the live database mid-line, then a failing statement.
    const sql = gunzipSync(await readFile(file)).toString();
    const crafted = sql.replace(
      'LOCK TABLES `users` WRITE;',
      `/*!40101 SET @x = 1 */; INSERT INTO \`${live}\`.\`users\` (username, password_hash) VALUES ('intruder', 'x'); INSERT INTO no_such_table VALUES (1);\nLOCK TABLES \`users\` WRITE;`,
    );
    assert.notEqual(crafted, sql);
    const hostile = join(out, 'hostile.sql.gz');
    await writeFile(hostile, gzipSync(crafted));
    const state = await snapshot();
    const refused = await run(['backup', 'restore', hostile, '--yes']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /names a database \(a qualified name\)/);
    assert.equal(refused.stderr.trim().split('\n').length, 1, 'one line');
    assert.deepEqual(await db('users').where({ username: 'intruder' }).pluck('id'), []);
    assert.deepEqual(await snapshot(), state);
    assert.deepEqual(await leftovers(), []);
    await db('products').where({ name: 'words' }).delete();
    await rm(out, { recursive: true });
  });

  test('backup --json, then verify --json exits 1 when the live database changed', async () => {
    const out = await mkdtemp(join(tmpdir(), 'gomall-cli-backup-'));
    const made = await run(['backup', '--out', out, '--keep', '1', '--json']);
    assert.equal(made.code, 0, made.stderr);
    const result = JSON.parse(made.stdout) as BackupResult;
    assert.equal((await stat(result.file)).size, result.bytes);

    const same = await run(['backup', 'verify', result.file]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /^ok: /m);

    await db('users').insert({ username: 'cli_added', password_hash: 'x' });
    const differs = await run(['backup', 'verify', result.file, '--json']);
    assert.equal(differs.code, 1);
    assert.equal((JSON.parse(differs.stdout) as { ok: boolean }).ok, false);
    await db('users').where({ username: 'cli_added' }).delete();
    await rm(out, { recursive: true });
  });
});
