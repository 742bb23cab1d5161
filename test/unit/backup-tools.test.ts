import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { optionFileText, quoted, withDefaultsFile } from '../../src/backup/defaults-file.js';
import { clientArgs, dumpArgs, findTool } from '../../src/backup/tools.js';
import { testConfig } from '../support/config.js';

const PASSWORD = 'pa ss#w;o"r\'d\\x';
const database = { ...testConfig().database, password: PASSWORD, username: 'backup_user' };

describe('tool arguments', () => {
  test('the password is never in the dump or client arguments; the defaults file comes first', async () => {
    await withDefaultsFile(database, async (defaults) => {
      for (const args of [dumpArgs(defaults, database.name), clientArgs(defaults, database.name)]) {
        assert.equal(args[0], `--defaults-extra-file=${defaults}`);
        const joined = args.join(' ');
        assert.ok(!joined.includes(PASSWORD), joined);
        assert.ok(!args.some((arg) => /^(-p|--password)/.test(arg)), joined);
        assert.ok(!joined.includes(database.username));
        assert.equal(args.at(-1), database.name);
      }
    });
  });

  test('the dump is consistent, complete and loadable into another database', () => {
    const args = dumpArgs('/tmp/x.cnf', 'gomall');
    for (const flag of [
      '--single-transaction',
      '--routines',
      '--triggers',
      '--hex-blob',
      '--quick',
    ]) {
      assert.ok(args.includes(flag), flag);
    }
    assert.ok(!args.includes('--databases') && !args.includes('--all-databases'));
  });
});

describe('defaults file', () => {
  test('holds the connection, is private while it exists and is deleted afterwards', async () => {
    const seen = await withDefaultsFile(database, async (path) => ({
      path,
      mode: (await stat(path)).mode & 0o777,
      dirMode: (await stat(join(path, '..'))).mode & 0o777,
      text: await readFile(path, 'utf8'),
    }));
    assert.equal(seen.mode, 0o600);
    assert.equal(seen.dirMode, 0o700);
    assert.equal(seen.text, optionFileText(database));
    await assert.rejects(stat(seen.path), { code: 'ENOENT' });
  });

  test('is deleted when the work fails', async () => {
    let path = '';
    await assert.rejects(
      withDefaultsFile(database, async (p) => {
        path = p;
        throw new Error('boom');
      }),
      /boom/,
    );
    await assert.rejects(stat(path), { code: 'ENOENT' });
  });

  test('quotes values the way option files read them', () => {
    assert.equal(quoted(PASSWORD), '"pa ss#w;o\\"r\'d\\\\x"');
    assert.equal(quoted('a\tb\nc'), '"a\\tb\\nc"');
    assert.equal(quoted(''), '""');
    const text = optionFileText(database);
    assert.match(text, /^\[client\]\n/);
    assert.match(text, /\nprotocol=TCP\n/);
    assert.match(text, /\npassword="pa ss#w;o\\"r'd\\\\x"\n/);
  });
});

describe('findTool', () => {
  test('takes the first name found on PATH, in the order given', async () => {
    const first = await mkdtemp(join(tmpdir(), 'gomall-tools-'));
    const second = await mkdtemp(join(tmpdir(), 'gomall-tools-'));
    for (const [dir, name] of [
      [first, 'mysqldump'],
      [second, 'mariadb-dump'],
    ] as const) {
      await writeFile(join(dir, name), '#!/bin/sh\n');
      await chmod(join(dir, name), 0o755);
    }
    const path = `${first}:${second}`;
    assert.equal(findTool(['mariadb-dump', 'mysqldump'], path), join(second, 'mariadb-dump'));
    assert.equal(findTool(['mysqldump', 'mariadb-dump'], path), join(first, 'mysqldump'));
    assert.throws(() => findTool(['no-such-tool'], path), /none of no-such-tool found on PATH/);
    for (const dir of [first, second]) await rm(dir, { recursive: true });
  });
});
