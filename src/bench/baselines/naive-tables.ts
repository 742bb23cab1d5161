// The naive sale's own two tables, named after the run, dropped after it: a stock row per
// product (same ids as the run's products, so the same data file drives it) and its orders.
import type { Knex } from '../../infra/db.js';

export interface NaiveTables {
  stock: string;
  orders: string;
}

export const naiveTableNames = (runId: string): NaiveTables => ({
  stock: `bench_naive_${runId}_stock`,
  orders: `bench_naive_${runId}_orders`,
});

export async function createNaiveTables(
  db: Knex,
  runId: string,
  productIds: number[],
  stock: number,
): Promise<NaiveTables> {
  const tables = naiveTableNames(runId);
  await db.schema.createTable(tables.stock, (t) => {
    t.bigInteger('id').unsigned().primary();
    t.integer('stock').unsigned().notNullable();
  });
  await db.schema.createTable(tables.orders, (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.string('order_no', 32).notNullable().unique();
    t.bigInteger('user_id').unsigned().notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    t.datetime('created_at', { precision: 3 })
      .notNullable()
      .defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
    // One unit per buyer, the tutorials' way: a unique key.
    t.unique(['product_id', 'user_id']);
  });
  await db(tables.stock).insert(productIds.map((id) => ({ id, stock })));
  return tables;
}

export async function naiveOrderCount(db: Knex, tables: NaiveTables): Promise<number> {
  const row = (await db(tables.orders).count({ n: '*' }).first()) as
    { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

export async function dropNaiveTables(db: Knex, tables: NaiveTables): Promise<void> {
  await db.schema.dropTableIfExists(tables.orders);
  await db.schema.dropTableIfExists(tables.stock);
}
