import knexFactory, { type Knex } from 'knex';
import type { Config } from '../config/schema.js';
import { migrationSource, reportingSource } from './migrations/index.js';

export type { Knex };

export function createDb(
  database: Config['database'],
  withoutDatabase = false,
  source: Knex.MigrationSource<string> = migrationSource,
): Knex {
  return knexFactory({
    client: 'mysql2',
    connection: {
      host: database.host,
      port: database.port,
      user: database.username,
      password: database.password,
      ...(withoutDatabase ? {} : { database: database.name }),
      charset: 'utf8mb4',
      // DECIMAL columns come back as strings ("19.90"), which is what the API shows.
      decimalNumbers: false,
      supportBigNumbers: true,
      dateStrings: false,
      timezone: 'Z',
    },
    pool: { min: database.pool_min, max: database.pool_max },
    migrations: { migrationSource: source, tableName: 'knex_migrations' },
  });
}

/** Called as each pending migration starts: its name, its place (from 1) and how many are pending. */
export type MigrationProgress = (name: string, index: number, pending: number) => void;

/** Creates the database when it is missing, then applies every pending migration. */
export async function migrate(
  database: Config['database'],
  onMigration?: MigrationProgress,
): Promise<string[]> {
  const admin = createDb(database, true);
  try {
    await admin.raw(
      'CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
      [database.name],
    );
  } finally {
    await admin.destroy();
  }
  let pending = 0;
  const source = onMigration
    ? reportingSource((name, index) => onMigration(name, index, pending))
    : migrationSource;
  const db = createDb(database, false, source);
  try {
    if (onMigration) pending = ((await db.migrate.list()) as [unknown[], unknown[]])[1].length;
    const [, applied] = (await db.migrate.latest()) as [number, string[]];
    return applied;
  } finally {
    await db.destroy();
  }
}

export async function dropDatabase(database: Config['database']): Promise<void> {
  const admin = createDb(database, true);
  try {
    await admin.raw('DROP DATABASE IF EXISTS ??', [database.name]);
  } finally {
    await admin.destroy();
  }
}
