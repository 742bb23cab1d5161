import { Args } from '@oclif/core';
import { bytesProgress } from '../../src/backup/progress.js';
import { withProgress } from '../../src/cli/progress.js';
import { textTable } from '../../src/cli/text-table.js';
import { verifyBackup, type VerifyResult } from '../../src/backup/verify.js';
import { BaseCommand, ExitCode } from '../../src/cli/base-command.js';
import { withExitCodes } from '../../src/cli/exit-codes.js';

export default class BackupVerify extends BaseCommand<typeof BackupVerify> {
  static override summary =
    'Load a backup into a scratch database and compare row counts with the live one.';
  static override description = withExitCodes(
    'Proves the file restores: it is checked, loaded into a scratch database that is dropped afterwards, and each table’s row count is compared with the live database, which is only read.',
    'a table differs (the table is still printed), or the file cannot be loaded',
  );
  static override examples = [
    '<%= config.bin %> backup verify backups/gomall-20261125T120000.000Z.sql.gz',
    '<%= config.bin %> backup verify backups/gomall-20261125T120000.000Z.sql.gz --json',
  ];
  static override enableJsonFlag = true;
  static override args = {
    file: Args.string({ required: true, description: 'A .sql.gz file written by `gomall backup`' }),
  };

  async run(): Promise<VerifyResult> {
    const result: VerifyResult = await withProgress((line) =>
      verifyBackup(this.settings.database, this.args.file, bytesProgress(line)),
    );
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
