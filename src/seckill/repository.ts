import type { AntiBot } from './schemas.js';
import type { Knex } from '../infra/db.js';
import { SeckillOrderWriter } from '../order/seckill-order-writer.js';
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
  anti_bot: AntiBot;
}

/** What init writes: the row without its id and generation (the repository sets those). */
export type ActivityWrite = Omit<ActivityRow, 'id' | 'generation'>;

type Db = Knex | Knex.Transaction;

/**
 * MySQL side of seckill: the activities. The orders of a sale are the order module's
 * tables: this repository reads them, and writes them only through SeckillOrderWriter.
 */
export class SeckillRepository {
  private readonly orders = new SeckillOrderWriter();

  constructor(private readonly db: Knex) {}

  findActivity(productId: number, db: Db = this.db): Promise<ActivityRow | undefined> {
    return db<ActivityRow>('seckill_activities').where({ product_id: productId }).first();
  }

  /** The activity's row, locked until the transaction ends. */
  lockActivity(trx: Knex.Transaction, productId: number): Promise<ActivityRow | undefined> {
    return trx<ActivityRow>('seckill_activities')
      .where({ product_id: productId })
      .forUpdate()
      .first() as Promise<ActivityRow | undefined>;
  }

  async productIdOf(activityId: number, db: Db = this.db): Promise<number | undefined> {
    const row = (await db('seckill_activities')
      .select('product_id')
      .where({ id: activityId })
      .first()) as { product_id: number } | undefined;
    return row ? Number(row.product_id) : undefined;
  }

  /** Activities whose window has not opened yet at `now` (the ones warming loads). */
  scheduledActivities(now: Date): Promise<ActivityRow[]> {
    return this.db<ActivityRow>('seckill_activities')
      .where('start_at', '>', now)
      .whereRaw('end_at > start_at')
      .orderBy('start_at');
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

  /**
   * Creates the activity, or re-initialises it, as round `generation` (above every round
   * MySQL and Redis have seen: the caller's choice); returns the row.
   */
  async saveActivity(
    trx: Knex.Transaction,
    write: ActivityWrite,
    generation: number,
    existing?: ActivityRow,
  ): Promise<ActivityRow> {
    if (existing) {
      await trx('seckill_activities')
        .where({ id: existing.id })
        .update({ ...write, generation, updated_at: trx.fn.now(3) });
    } else {
      await trx('seckill_activities').insert({ ...write, generation });
    }
    return (await this.findActivity(write.product_id, trx))!;
  }

  /** Units held by orders that are not cancelled, per activity id (one query for all). */
  async soldUnitsByActivity(db: Db = this.db): Promise<Map<number, number>> {
    const rows = (await db('orders as o')
      .join('order_items as i', 'i.order_id', 'o.id')
      .whereNotNull('o.activity_id')
      .whereNot('o.status', 'cancelled')
      .groupBy('o.activity_id')
      .select('o.activity_id')
      .sum({ units: 'i.quantity' })) as Array<{ activity_id: number; units: string | number }>;
    return new Map(rows.map((row) => [Number(row.activity_id), Number(row.units)]));
  }

  /**
   * Closes the activity's window at `now` (a scheduled one gets an empty window: start and
   * end both now). An end already past is left as it is. Returns the row; undefined when
   * the product has no activity.
   */
  async endActivity(productId: number, now: Date): Promise<ActivityRow | undefined> {
    await this.db('seckill_activities')
      .where({ product_id: productId })
      .where('end_at', '>', now)
      .update({
        start_at: this.db.raw('LEAST(start_at, ?)', [now]),
        end_at: now,
        updated_at: this.db.fn.now(3),
      });
    return this.findActivity(productId);
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
    const prepared = this.orders.prepare(messages, paymentTimeoutMs);
    const taken = unitsByActivity(messages);
    for (const [activityId, units] of [...taken].sort(([a], [b]) => a - b)) {
      await trx('seckill_activities')
        .where({ id: activityId })
        .update({ stock: trx.raw('stock - ?', [units]), updated_at: trx.fn.now(3) });
    }
    try {
      return await this.orders.insert(trx, prepared);
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
      : this.orders.insert(trx, this.orders.prepare(fresh, paymentTimeoutMs));
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

  /** Sets the activity's MySQL stock (reconcile's repair). */
  async setStock(activityId: number, stock: number): Promise<void> {
    await this.db('seckill_activities').where({ id: activityId }).update({ stock });
  }

  async orderUnits(orderId: number, db: Db = this.db): Promise<number> {
    const row = (await db('order_items')
      .sum({ units: 'quantity' })
      .where({ order_id: orderId })
      .first()) as { units: string | number | null } | undefined;
    return Number(row?.units ?? 0);
  }
}

function unitsByActivity(messages: OrderMessage[]): Map<number, number> {
  const units = new Map<number, number>();
  for (const m of messages) units.set(m.activity_id, (units.get(m.activity_id) ?? 0) + m.quantity);
  return units;
}
