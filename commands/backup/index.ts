import { Flags } from '@oclif/core';
import { createBackup, type BackupResult } from '../../src/backup/dump.js';
import { backupDir } from '../../src/backup/naming.js';
import { bytesProgress, formatBytes } from '../../src/backup/progress.js';
import { withProgress } from '../../src/cli/progress.js';
import { textTable } from '../../src/cli/text-table.js';
import { BaseCommand } from '../../src/cli/base-command.js';
import { withExitCodes } from '../../src/cli/exit-codes.js';

export default class Backup extends BaseCommand<typeof Backup> {
  static override summary = 'Dump the database to a compressed file and prune old backups.';
  static override description = withExitCodes(
    'A consistent snapshot (mysqldump --single-transaction: no locks, the app keeps running) of database.name, gzip-compressed to <dir>/<database>-<UTC time>.sql.gz. The password reaches the dump tool through a private temporary option file, never its arguments. Only the newest --keep backups of the database are kept.',
  );
  static override examples = [
    '<%= config.bin %> backup',
    '<%= config.bin %> backup --out /var/backups/gomall --keep 14',
    '<%= config.bin %> backup --env prod --json',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    out: Flags.string({
      char: 'o',
      description: 'Folder to write to [default: backup.dir from the config]',
    }),
    keep: Flags.integer({
      description: 'Backups of this database to keep, this one included [default: backup.keep]',
      min: 1,
    }),
  };

  async run(): Promise<BackupResult> {
    const { backup, database } = this.settings;
    const result = await withProgress((line) =>
      createBackup(database, {
        dir: backupDir(backup.dir, this.flags.out),
        keep: this.flags.keep ?? backup.keep,
        onProgress: bytesProgress(line),
      }),
    );
    const table = textTable(['table', 'rows'], ['left', 'right']);
    for (const { table: name, rows } of result.tables) table.push([name, rows]);
    this.log(`${result.file} (${formatBytes(result.bytes)}, ${result.duration_ms} ms)`);
    this.log(table.toString());
    if (result.pruned.length > 0)
      this.log(`pruned ${result.pruned.length}: ${result.pruned.join(', ')}`);
    return result;
  }
}
