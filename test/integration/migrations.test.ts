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

test('the order lifecycle migration keeps existing orders working, down and up', async () => {
  const lifecycle = '20261202000000_order_lifecycle';
  await db.migrate.rollback(undefined, true);
  for (const name of migrations.slice(0, migrations.indexOf(lifecycle)))
    await db.migrate.up({ name });
  const [userId] = await db('users').insert({ username: 'mig', password_hash: 'x' });
  const order = (order_no: string, status: string) => ({
    order_no,
    user_id: userId,
    status,
    total_amount: '1.00',
  });
  await db('orders').insert([order('OLDPENDING', 'pending'), order('OLDPAID', 'paid')]);

  await db.migrate.up({ name: lifecycle });
  const pending = await db('orders').where({ order_no: 'OLDPENDING' }).first();
  assert.ok(pending.expires_at > new Date(), 'an unpaid order gets a payment window');
  assert.equal((await db('orders').where({ order_no: 'OLDPAID' }).first()).expires_at, null);
  await db('orders').where({ order_no: 'OLDPAID' }).update({ status: 'shipped' });
  await db('orders').where({ order_no: 'OLDPENDING' }).update({ status: 'refunded' });

  await db.migrate.down({ name: lifecycle });
  const after = await db('orders').orderBy('order_no').select('order_no', 'status', 'expires_at');
  assert.deepEqual(
    after.map((row) => [row.order_no, row.status, row.expires_at]),
    [
      ['OLDPAID', 'paid', null],
      ['OLDPENDING', 'cancelled', null],
    ],
  );
  await db.migrate.latest();
});
