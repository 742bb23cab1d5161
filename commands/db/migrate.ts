import { BaseCommand } from '../../src/cli/base-command.js';
import { withExitCodes } from '../../src/cli/exit-codes.js';
import { withProgress } from '../../src/cli/progress.js';
import { migrate } from '../../src/infra/db.js';

export interface MigrateResult {
  database: string;
  applied: string[];
}

export default class DbMigrate extends BaseCommand<typeof DbMigrate> {
  static override summary = 'Create the database if missing and apply pending migrations.';
  static override description = withExitCodes(
    'Progress (the migration running, n of m) goes to stderr: one line kept up to date on a terminal, a line every few seconds otherwise.',
    'a migration failed, or MySQL is unreachable',
  );
  static override examples = [
    '<%= config.bin %> db migrate',
    '<%= config.bin %> db migrate --env prod --json',
  ];
  static override enableJsonFlag = true;

  async run(): Promise<MigrateResult> {
    const { database } = this.settings;
    const applied = await withProgress((line) =>
      migrate(database, (name, index, pending) =>
        line.update(`migrating ${database.name}: ${index} of ${pending}, ${name}`),
      ),
    );
    this.log(
      applied.length === 0
        ? `${database.name}: already up to date`
        : `${database.name}: applied ${applied.join(', ')}`,
    );
    return { database: database.name, applied };
  }
}
