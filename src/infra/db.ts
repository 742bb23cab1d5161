import knexFactory, { type Knex } from 'knex';
import type { Config } from '../config/schema.js';
import { migrationSource } from './migrations/index.js';

export type { Knex };

export function createDb(database: Config['database'], withoutDatabase = false): Knex {
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
    migrations: { migrationSource, tableName: 'knex_migrations' },
  });
}

/** Creates the database when it is missing, then applies every pending migration. */
export async function migrate(database: Config['database']): Promise<string[]> {
  const admin = createDb(database, true);
  try {
    await admin.raw(
      'CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
      [database.name],
    );
  } finally {
    await admin.destroy();
  }
  const db = createDb(database);
  try {
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
