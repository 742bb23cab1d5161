import type { Knex } from '../infra/db.js';

/** The base tables of `schema`, by name. */
export async function baseTables(db: Knex, schema: string): Promise<string[]> {
  const rows = (await db('information_schema.TABLES')
    .select({ name: 'TABLE_NAME' })
    .where({ TABLE_SCHEMA: schema, TABLE_TYPE: 'BASE TABLE' })
    .orderBy('TABLE_NAME')) as Array<{ name: string }>;
  return rows.map((row) => row.name);
}

/**
 * What `schema` holds besides base tables ("view v_sales", "trigger trg_x", ...). The
 * restore swap moves tables between databases; these objects cannot move with them.
 */
export async function otherObjects(db: Knex, schema: string): Promise<string[]> {
  const [rows] = (await db.raw(
    `SELECT CONCAT('view ', TABLE_NAME) AS object FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?
     UNION ALL SELECT CONCAT('trigger ', TRIGGER_NAME) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
     UNION ALL SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?
     UNION ALL SELECT CONCAT('event ', EVENT_NAME) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?`,
    [schema, schema, schema, schema],
  )) as [Array<{ object: string }>];
  return rows.map((row) => row.object).sort();
}

/** The triggers of `schema`: a table with triggers cannot be renamed into another database. */
export async function triggers(db: Knex, schema: string): Promise<string[]> {
  return (await db('information_schema.TRIGGERS')
    .where({ TRIGGER_SCHEMA: schema })
    .orderBy('TRIGGER_NAME')
    .pluck('TRIGGER_NAME')) as string[];
}

export async function createSchema(db: Knex, schema: string): Promise<void> {
  await db.raw(
    'CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
    [schema],
  );
}

export async function dropSchema(db: Knex, schema: string): Promise<void> {
  await db.raw('DROP DATABASE IF EXISTS ??', [schema]);
}
