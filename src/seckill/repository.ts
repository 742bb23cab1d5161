import { escape } from 'mysql2';
import type { Knex } from '../infra/db.js';
import { formatCents } from '../money.js';
import type { OrderMessage } from './message.js';

export interface ActivityRow {
  id: number;
  product_id: number;
  price: string;
  total_stock: number;
  stock: number;
  limit_per_user: number;
  start_at: Date;
  end_at: Date;
  generation: number;
}

export interface ActivityWrite {
  product_id: number;
  price: string;
  total_stock: number;
  stock: number;
  limit_per_user: number;
  start_at: Date;
  end_at: Date;
}

type Db = Knex | Knex.Transaction;

/** MySQL side of seckill: activities, and the orders the consumer and timeouts write. */
const NAME_TTL_MS = 60_000;

export class SeckillRepository {
  private autoIncrement?: Promise<{ mode: number; step: number }>;
  private readonly names = new Map<number, { name: string; until: number }>();

  constructor(private readonly db: Knex) {}

  findActivity(productId: number, db: Db = this.db): Promise<ActivityRow | undefined> {
    return db<ActivityRow>('seckill_activities').where({ product_id: productId }).first();
  }

  listActivities(): Promise<ActivityRow[]> {
    return this.db<ActivityRow>('seckill_activities').orderBy('product_id');
  }

  findProduct(
    productId: number,
    db: Db = this.db,
  ): Promise<{ id: number; name: string; price: string } | undefined> {
    return db('products')
      .select('id', 'name', 'price')
      .where({ id: productId })
      .whereNull('deleted_at')
      .first();
  }

  /** Creates the activity, or re-initialises it (generation + 1); returns the row. */
  async saveActivity(
    trx: Knex.Transaction,
    write: ActivityWrite,
    existing?: ActivityRow,
  ): Promise<ActivityRow> {
    if (existing) {
      await trx('seckill_activities')
        .where({ id: existing.id })
        .update({ ...write, generation: existing.generation + 1, updated_at: trx.fn.now(3) });
    } else {
      await trx('seckill_activities').insert(write);
    }
    return (await this.findActivity(write.product_id, trx))!;
  }

  /** Units of this activity held by orders that are not cancelled. */
  async soldUnits(activityId: number, db: Db = this.db): Promise<number> {
    const row = (await db('orders as o')
      .join('order_items as i', 'i.order_id', 'o.id')
      .where('o.activity_id', activityId)
      .whereNot('o.status', 'cancelled')
      .sum({ units: 'i.quantity' })
      .first()) as { units: string | number | null } | undefined;
    return Number(row?.units ?? 0);
  }

  /** Each buyer's highest slot so far (cancelled orders included: their slot is never reused). */
  async buyerSlots(
    activityId: number,
    db: Db = this.db,
  ): Promise<Array<[userId: number, slot: number]>> {
    const rows = (await db('orders')
      .select('user_id')
      .max({ slot: 'buyer_slot' })
      .where({ activity_id: activityId })
      .groupBy('user_id')) as Array<{ user_id: number; slot: number }>;
    return rows.map((row) => [Number(row.user_id), Number(row.slot)]);
  }

  async existingOrderNos(orderNos: string[], db: Db = this.db): Promise<Set<string>> {
    if (orderNos.length === 0) return new Set();
    const rows = (await db('orders').select('order_no').whereIn('order_no', orderNos)) as Array<{
      order_no: string;
    }>;
    return new Set(rows.map((row) => row.order_no));
  }

  /**
   * Inserts the orders of a batch, one multi-row INSERT per table, and takes their units
   * from the activities' MySQL stock. Orders that already exist are skipped (a redelivery
   * or a re-published reservation); a slot collision under another order number throws.
   * Returns the orders inserted now.
   * The common case, no order exists yet, is three statements. The stock goes first, in
   * activity id order: the activity rows are then locked by this batch before the inserts'
   * foreign-key checks take shared locks on them, so two batches of one activity queue up
   * instead of deadlocking. A duplicate order_no fails only its INSERT statement; the batch
   * then checks which orders exist and gives back the units of those.
   */
  async insertOrders(
    trx: Knex.Transaction,
    messages: OrderMessage[],
    paymentTimeoutMs: number,
  ): Promise<OrderMessage[]> {
    // Built before the activity rows are locked: other batches wait on that lock.
    const statement = ordersInsert(messages, paymentTimeoutMs);
    const taken = unitsByActivity(messages);
    for (const [activityId, units] of [...taken].sort(([a], [b]) => a - b)) {
      await trx('seckill_activities')
        .where({ id: activityId })
        .update({ stock: trx.raw('stock - ?', [units]), updated_at: trx.fn.now(3) });
    }
    try {
      return await this.insertRows(trx, messages, statement);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ER_DUP_ENTRY') throw error;
    }
    const existing = await this.existingOrderNos(
      messages.map((m) => m.order_no),
      trx,
    );
    const fresh = messages.filter((m) => !existing.has(m.order_no));
    for (const [activityId, units] of unitsByActivity(
      messages.filter((m) => existing.has(m.order_no)),
    )) {
      await trx('seckill_activities')
        .where({ id: activityId })
        .update({ stock: trx.raw('stock + ?', [units]) });
    }
    return fresh.length === 0
      ? []
      : this.insertRows(trx, fresh, ordersInsert(fresh, paymentTimeoutMs));
  }

  private async insertRows(
    trx: Knex.Transaction,
    fresh: OrderMessage[],
    ordersStatement: string,
  ): Promise<OrderMessage[]> {
    const [header] = (await trx.raw(ordersStatement)) as unknown as [{ insertId: number }];
    const ids = await this.idsOf(trx, fresh, Number(header.insertId));
    const names = await this.productNames([...new Set(fresh.map((m) => m.product_id))], trx);
    await trx.raw(itemsInsert(fresh, ids, names));
    return fresh;
  }

  /**
   * The ids of rows just inserted by one multi-row INSERT, in row order. With InnoDB's
   * auto-increment lock mode 0 or 1 such an INSERT gets consecutive ids (every
   * auto_increment_increment) from the one the server reports; in mode 2 they may
   * interleave with other inserts, so they are read back.
   */
  private async idsOf(
    trx: Knex.Transaction,
    rows: OrderMessage[],
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

  /**
   * The cancel half of a cancel or timeout, inside the caller's transaction: the activity's
   * MySQL stock gets the order's units back. Called only after the status compare-and-set
   * won, so it runs once per order.
   */
  async returnUnits(trx: Knex.Transaction, activityId: number, units: number): Promise<void> {
    await trx('seckill_activities')
      .where({ id: activityId })
      .update({ stock: trx.raw('stock + ?', [units]), updated_at: trx.fn.now(3) });
  }

  async orderUnits(orderId: number, db: Db = this.db): Promise<number> {
    const row = (await db('order_items')
      .sum({ units: 'quantity' })
      .where({ order_id: orderId })
      .first()) as { units: string | number | null } | undefined;
    return Number(row?.units ?? 0);
  }

  /** Unpaid seckill orders past their deadline by more than `graceMs` (their timeout got lost). */
  async overdueOrders(
    graceMs: number,
    limit: number,
  ): Promise<Array<{ order_no: string; product_id: number }>> {
    const rows = (await this.db('orders as o')
      .join('seckill_activities as a', 'a.id', 'o.activity_id')
      .select('o.order_no', 'a.product_id')
      .where({ 'o.kind': 'seckill', 'o.status': 'pending' })
      .where('o.expires_at', '<', new Date(Date.now() - graceMs))
      .limit(limit)) as Array<{ order_no: string; product_id: number }>;
    return rows.map((row) => ({ order_no: row.order_no, product_id: Number(row.product_id) }));
  }
}

function unitsByActivity(messages: OrderMessage[]): Map<number, number> {
  const units = new Map<number, number>();
  for (const m of messages) units.set(m.activity_id, (units.get(m.activity_id) ?? 0) + m.quantity);
  return units;
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

function ordersInsert(messages: OrderMessage[], paymentTimeoutMs: number): string {
  const now = new Date();
  const created = sqlTime(now);
  const expires = sqlTime(new Date(now.getTime() + paymentTimeoutMs));
  const rows = messages.map(
    (m) =>
      `(${escape(m.order_no)},${m.user_id},'seckill','pending',${formatCents(m.price_cents * m.quantity)},${m.activity_id},${m.slot},${expires},${created},${created})`,
  );
  return `INSERT INTO orders (order_no, user_id, kind, status, total_amount, activity_id, buyer_slot, expires_at, created_at, updated_at) VALUES ${rows.join(',')}`;
}

function itemsInsert(messages: OrderMessage[], ids: number[], names: Map<number, string>): string {
  const quoted = new Map([...names].map(([id, name]) => [id, escape(name)]));
  const rows = messages.map(
    (m, i) =>
      `(${ids[i]},${m.product_id},${quoted.get(m.product_id)},${formatCents(m.price_cents)},${m.quantity},${formatCents(m.price_cents * m.quantity)})`,
  );
  return `INSERT INTO order_items (order_id, product_id, product_name, unit_price, quantity, subtotal) VALUES ${rows.join(',')}`;
}
