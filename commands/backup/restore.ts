import { Args, Flags } from '@oclif/core';
import type { InspectedDump } from '../../src/backup/dump-file.js';
import { bytesProgress, formatBytes } from '../../src/backup/progress.js';
import { withProgress } from '../../src/cli/progress.js';
import { restoreBackup, type RestoreResult } from '../../src/backup/restore.js';
import { BaseCommand } from '../../src/cli/base-command.js';
import { withExitCodes } from '../../src/cli/exit-codes.js';
import { confirmOrRefuse, refuseWithoutTerminal } from '../../src/cli/confirm.js';

export default class BackupRestore extends BaseCommand<typeof BackupRestore> {
  static override summary = 'Replace the database with a backup, all tables at once or not at all.';
  static override description = withExitCodes(
    'Checks the whole file first, loads it into a scratch database, compares row counts with the file, then swaps the tables in with one atomic RENAME TABLE: a bad file or a failed load leaves the live database untouched. Asks for confirmation; --yes is required when stdin is not a terminal. Redis is not in the backup: run `gomall seckill reconcile` afterwards.',
    'the file is refused (checked before anything changes), the load failed, or the restore was cancelled; the live database is untouched',
  );
  static override examples = [
    '<%= config.bin %> backup restore backups/gomall-20261125T120000.000Z.sql.gz',
    '<%= config.bin %> backup restore /var/backups/gomall/gomall-20261125T120000.000Z.sql.gz --yes --env prod',
  ];
  static override enableJsonFlag = true;
  static override args = {
    file: Args.string({ required: true, description: 'A .sql.gz file written by `gomall backup`' }),
  };
  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'Restore without asking' }),
  };

  async run(): Promise<RestoreResult> {
    const { database } = this.settings;
    // Checked before any work: a script without --yes must fail at once, not after reading
    // a large file, and must never hang on a prompt nobody can answer.
    refuseWithoutTerminal({ yes: this.flags.yes, refusal: 'refusing to restore without --yes' });
    const result: RestoreResult = await withProgress((line) =>
      restoreBackup(database, this.args.file, {
        onProgress: bytesProgress(line),
        ...(this.flags.yes
          ? {}
          : {
              confirm: async (dump: InspectedDump) => {
                line.clear();
                return confirmOrRefuse({
                  yes: false,
                  refusal: 'refusing to restore without --yes',
                  question: restoreQuestion(
                    dump,
                    `${database.name} on ${database.host}:${database.port}`,
                  ),
                });
              },
            }),
      }),
    );
    if (!result.restored) throw new Error(`restore cancelled; ${database.name} is untouched`);
    for (const warning of result.warnings) this.logToStderr(`gomall: warning: ${warning}`);
    const rows = result.tables.reduce((sum, table) => sum + table.rows, 0);
    this.log(
      `restored ${result.tables.length} tables (${rows} rows) into ${database.name} from ${result.file}`,
    );
    return result;
  }
}

function restoreQuestion(dump: InspectedDump, target: string): string {
  const rows = [...dump.rows.values()].reduce((sum, count) => sum + count, 0);
  return `Replace every table of ${target} with ${dump.file} (${dump.rows.size} tables, ${rows} rows, ${formatBytes(dump.bytes)})?`;
}
