import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { describe, test } from 'node:test';
import { backupDir, backupFileName, listBackups, pruneBackups } from '../../src/backup/naming.js';
import { packageRoot } from '../../src/infra/paths.js';

const at = (iso: string) => new Date(iso);

describe('backup file names', () => {
  test('<database>-<UTC basic ISO time with ms>.sql.gz', () => {
    assert.equal(
      backupFileName('gomall', at('2026-11-25T12:34:56.789Z')),
      'gomall-20261125T123456.789Z.sql.gz',
    );
  });

  test('--out is relative to the working directory, backup.dir to the install', () => {
    assert.equal(backupDir('backups', 'out'), join(process.cwd(), 'out'));
    assert.equal(backupDir('backups'), join(packageRoot(), 'backups'));
    assert.equal(backupDir('/srv/backups'), '/srv/backups');
    assert.ok(isAbsolute(backupDir('backups', '.')));
  });
});

describe('listing and pruning', () => {
  test('keeps the N newest backups of the database and nothing else is touched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gomall-prune-'));
    const times = [
      '2026-11-20T10:00:00.000Z',
      '2026-11-25T09:00:00.000Z',
      '2026-11-21T10:00:00.000Z',
      '2026-11-25T09:00:00.001Z',
      '2026-11-22T10:00:00.000Z',
    ];
    const others = [
      'gomall_other-20261101T000000.000Z.sql.gz',
      `${backupFileName('gomall', at('2026-11-01T00:00:00Z'))}.partial`,
      'gomall-notes.txt',
    ];
    for (const name of [...times.map((t) => backupFileName('gomall', at(t))), ...others]) {
      await writeFile(join(dir, name), '');
    }

    const listed = await listBackups(dir, 'gomall');
    assert.deepEqual(
      listed.map((file) => file.createdAt.toISOString()),
      [...times].sort().reverse(),
    );

    const pruned = await pruneBackups(dir, 'gomall', 2);
    assert.deepEqual(
      pruned.map((path) => path.slice(dir.length + 1)).sort(),
      ['2026-11-20T10:00:00.000Z', '2026-11-21T10:00:00.000Z', '2026-11-22T10:00:00.000Z'].map(
        (t) => backupFileName('gomall', at(t)),
      ),
    );
    assert.deepEqual(
      (await readdir(dir)).sort(),
      [
        ...others,
        backupFileName('gomall', at('2026-11-25T09:00:00.000Z')),
        backupFileName('gomall', at('2026-11-25T09:00:00.001Z')),
      ].sort(),
    );
    assert.deepEqual(await pruneBackups(dir, 'gomall', 2), []);
    await rm(dir, { recursive: true });
  });

  test('a missing folder has no backups', async () => {
    assert.deepEqual(await listBackups(join(tmpdir(), 'gomall-no-such-dir-x1'), 'gomall'), []);
  });
});
