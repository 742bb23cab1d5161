import { Args } from '@oclif/core';
import { terminalProgress } from '../../src/backup/progress.js';
import { textTable } from '../../src/cli/text-table.js';
import { verifyBackup, type VerifyResult } from '../../src/backup/verify.js';
import { BaseCommand, ExitCode } from '../../src/cli/base-command.js';

export default class BackupVerify extends BaseCommand<typeof BackupVerify> {
  static override summary =
    'Load a backup into a scratch database and compare row counts with the live one.';
  static override description =
    'Proves the file restores: it is checked, loaded into a scratch database that is dropped afterwards, and each table’s row count is compared with the live database, which is only read. Exits 1 when any table differs.';
  static override examples = [
    '<%= config.bin %> backup verify backups/gomall-20261125T120000.000Z.sql.gz',
    '<%= config.bin %> backup verify backups/gomall-20261125T120000.000Z.sql.gz --json',
  ];
  static override enableJsonFlag = true;
  static override args = {
    file: Args.string({ required: true, description: 'A .sql.gz file written by `gomall backup`' }),
  };

  async run(): Promise<VerifyResult> {
    const progress = terminalProgress();
    let result: VerifyResult;
    try {
      result = await verifyBackup(this.settings.database, this.args.file, progress?.report);
    } finally {
      progress?.clear();
    }
    const table = textTable(['table', 'backup', 'live', ''], ['left', 'right', 'right', 'left']);
    for (const row of result.tables) {
      table.push([
        row.table,
        row.backup ?? 'missing',
        row.live ?? 'missing',
        row.match ? 'ok' : 'DIFFERS',
      ]);
    }
    this.log(table.toString());
    const differing = result.tables.filter((row) => !row.match).length;
    if (differing > 0) {
      this.logToStderr(
        `gomall: ${differing} table(s) differ between ${result.file} and ${result.database}`,
      );
      // Set, not thrown: the result (and the JSON with --json) is still printed.
      process.exitCode = ExitCode.Failure;
    } else {
      this.log(`ok: ${result.file} matches ${result.database}`);
    }
    return result;
  }
}
