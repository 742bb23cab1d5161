import { BaseCommand } from '../../src/cli/base-command.js';
import { migrate } from '../../src/infra/db.js';

export interface MigrateResult {
  database: string;
  applied: string[];
}

export default class DbMigrate extends BaseCommand<typeof DbMigrate> {
  static override summary = 'Create the database if missing and apply pending migrations.';
  static override examples = [
    '<%= config.bin %> db migrate',
    '<%= config.bin %> db migrate --env prod --json',
  ];
  static override enableJsonFlag = true;

  async run(): Promise<MigrateResult> {
    const { database } = this.settings;
    const applied = await migrate(database);
    this.log(
      applied.length === 0
        ? `${database.name}: already up to date`
        : `${database.name}: applied ${applied.join(', ')}`,
    );
    return { database: database.name, applied };
  }
}
