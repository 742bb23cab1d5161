import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDb, dropDatabase, type Knex } from '../../src/infra/db.js';
import { migrationSource } from '../../src/infra/migrations/index.js';
import { envFor, runCli } from '../support/cli.js';
import { testConfig } from '../support/config.js';

const config = testConfig();
const env = envFor(config);
/** The tables of the modules (user, product, cart, order, seckill); later migrations may add more. */
const MODULE_TABLES = [
  'cart_items',
  'order_items',
  'orders',
  'products',
  'seckill_activities',
  'users',
];
let migrations: string[];
let db: Knex;

before(async () => {
  migrations = await migrationSource.getMigrations([]);
  assert.ok(migrations.length >= 2);
  db = createDb(config.database);
});
after(async () => {
  await db?.destroy();
  await dropDatabase(config.database);
});

async function tables(): Promise<string[]> {
  const rows = (await db('information_schema.tables')
    .select('table_name as name')
    .where('table_schema', config.database.name)
    .orderBy('table_name')) as Array<{ name: string }>;
  return rows.map((row) => row.name).filter((name) => !name.startsWith('knex_'));
}

function assertModuleTables(found: string[]): void {
  for (const table of MODULE_TABLES) assert.ok(found.includes(table), `table ${table} exists`);
}

/** Every table's CREATE TABLE statement, without the AUTO_INCREMENT counter. */
async function schema(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const table of await tables()) {
    const [rows] = (await db.raw('SHOW CREATE TABLE ??', [table])) as unknown as [
      Array<{ 'Create Table': string }>,
    ];
    out.set(table, rows[0]!['Create Table'].replace(/ AUTO_INCREMENT=\d+/, ''));
  }
  return out;
}

test('db migrate --json creates the database, applies every migration once, and says so', async () => {
  const first = await runCli(['db', 'migrate', '--json'], env);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(JSON.parse(first.stdout), {
    database: config.database.name,
    applied: migrations,
  });
  assertModuleTables(await tables());
  const recorded = (await db('knex_migrations').select('name').orderBy('id')) as Array<{
    name: string;
  }>;
  assert.deepEqual(
    recorded.map((r) => r.name),
    migrations,
  );

  const again = await runCli(['db', 'migrate', '--json'], env);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(JSON.parse(again.stdout), { database: config.database.name, applied: [] });
  const text = await runCli(['db', 'migrate'], env);
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stdout.trim(), `${config.database.name}: already up to date`);
});

test('migrations run up, down and up again to the same schema', async () => {
  await db.migrate.latest();
  const migrated = await schema();
  assertModuleTables([...migrated.keys()]);
  // The seckill indexes migration is part of what down must undo and up must redo.
  assert.match(migrated.get('orders')!, /KEY `idx_orders_kind_status_expires`/);

  const [, rolledBack] = (await db.migrate.rollback(undefined, true)) as [number, string[]];
  assert.deepEqual([...rolledBack].sort(), migrations);
  assert.deepEqual(await tables(), []);

  const [, reapplied] = (await db.migrate.latest()) as [number, string[]];
  assert.deepEqual(reapplied, migrations);
  assertModuleTables(await tables());
  assert.deepEqual(await schema(), migrated);
});
