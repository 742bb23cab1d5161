import { escape } from 'mysql2';
import type { Knex } from '../infra/db.js';
import { formatCents } from '../money.js';

/** One unit-priced order line of a flash sale, as the seckill consumer hands it over. */
export interface SeckillOrderLine {
  order_no: string;
  user_id: number;
  activity_id: number;
  product_id: number;
  price_cents: number;
  quantity: number;
  slot: number;
}

/** A batch INSERT written out ahead of time, with the lines it holds. */
export interface PreparedOrders<L extends SeckillOrderLine> {
  lines: L[];
  statement: string;
}

type Db = Knex | Knex.Transaction;

const NAME_TTL_MS = 60_000;

/**
 * Writes the seckill consumer's orders and their lines, one multi-row INSERT per table,
 * inside the caller's transaction (the same one that takes the activity's units). Lives as
 * long as the consumer: it keeps the server's auto-increment mode and recent product names.
 */
export class SeckillOrderWriter {
  private autoIncrement?: Promise<{ mode: number; step: number }>;
  private readonly names = new Map<number, { name: string; until: number }>();

  /**
   * The orders INSERT for `lines`, unpaid until `paymentTimeoutMs` from now. Built before
   * the caller locks anything: other batches wait on those locks.
   */
  prepare<L extends SeckillOrderLine>(lines: L[], paymentTimeoutMs: number): PreparedOrders<L> {
    return { lines, statement: ordersInsert(lines, paymentTimeoutMs) };
  }

  /** Inserts the prepared orders and their lines; a duplicate order_no throws ER_DUP_ENTRY. */
  async insert<L extends SeckillOrderLine>(
    trx: Knex.Transaction,
    prepared: PreparedOrders<L>,
  ): Promise<L[]> {
    const { lines, statement } = prepared;
    const [header] = (await trx.raw(statement)) as unknown as [{ insertId: number }];
    const ids = await this.idsOf(trx, lines, Number(header.insertId));
    const names = await this.productNames([...new Set(lines.map((m) => m.product_id))], trx);
    await trx.raw(itemsInsert(lines, ids, names));
    return lines;
  }

  /**
   * The ids of rows just inserted by one multi-row INSERT, in row order. With InnoDB's
   * auto-increment lock mode 0 or 1 such an INSERT gets consecutive ids (every
   * auto_increment_increment) from the one the server reports; in mode 2 they may
   * interleave with other inserts, so they are read back.
   */
  private async idsOf(
    trx: Knex.Transaction,
    rows: SeckillOrderLine[],
    firstId: number,
  ): Promise<number[]> {
    this.autoIncrement ??= readAutoIncrement(trx);
    const { mode, step } = await this.autoIncrement;
    if (mode < 2) return rows.map((_, i) => firstId + i * step);
    const read = (await trx('orders')
      .select('id', 'order_no')
      .whereIn(
        'order_no',
        rows.map((m) => m.order_no),
      )) as Array<{ id: number; order_no: string }>;
    const idOf = new Map(read.map((row) => [row.order_no, Number(row.id)]));
    return rows.map((m) => idOf.get(m.order_no)!);
  }

  /** Product names change rarely; an order line copies the name at order time. */
  private async productNames(productIds: number[], db: Db): Promise<Map<number, string>> {
    const now = Date.now();
    const missing = productIds.filter((id) => (this.names.get(id)?.until ?? 0) <= now);
    if (missing.length > 0) {
      const rows = (await db('products').select('id', 'name').whereIn('id', missing)) as Array<{
        id: number;
        name: string;
      }>;
      for (const row of rows)
        this.names.set(Number(row.id), { name: row.name, until: now + NAME_TTL_MS });
    }
    return new Map(productIds.map((id) => [id, this.names.get(id)?.name ?? `product ${id}`]));
  }
}

async function readAutoIncrement(db: Db): Promise<{ mode: number; step: number }> {
  const [rows] = (await db.raw(
    'SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step',
  )) as unknown as [Array<{ mode: number; step: number }>];
  return { mode: Number(rows[0]!.mode), step: Number(rows[0]!.step) };
}

/*
 * The batch INSERTs are written out here rather than by the query builder: escaping a
 * thousand rows through knex and mysql2 took longer than MySQL took to insert them. Strings
 * go through mysql2's escape; every number was checked to be an integer by the message schema.
 */
const sqlTime = (date: Date) => `'${date.toISOString().slice(0, 23).replace('T', ' ')}'`;

function ordersInsert(lines: SeckillOrderLine[], paymentTimeoutMs: number): string {
  const now = new Date();
  const created = sqlTime(now);
  const expires = sqlTime(new Date(now.getTime() + paymentTimeoutMs));
  const rows = lines.map(
    (m) =>
      `(${escape(m.order_no)},${m.user_id},'seckill','pending',${formatCents(m.price_cents * m.quantity)},${m.activity_id},${m.slot},${expires},${created},${created})`,
  );
  return `INSERT INTO orders (order_no, user_id, kind, status, total_amount, activity_id, buyer_slot, expires_at, created_at, updated_at) VALUES ${rows.join(',')}`;
}

function itemsInsert(lines: SeckillOrderLine[], ids: number[], names: Map<number, string>): string {
  const quoted = new Map([...names].map(([id, name]) => [id, escape(name)]));
  const rows = lines.map(
    (m, i) =>
      `(${ids[i]},${m.product_id},${quoted.get(m.product_id)},${formatCents(m.price_cents)},${m.quantity},${formatCents(m.price_cents * m.quantity)})`,
  );
  return `INSERT INTO order_items (order_id, product_id, product_name, unit_price, quantity, subtotal) VALUES ${rows.join(',')}`;
}
