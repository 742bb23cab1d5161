import type { Knex } from '../infra/db.js';
import type { OrderStatus } from './lifecycle.js';
import type { OrderQuery } from './schemas.js';

export type { OrderStatus } from './lifecycle.js';

export interface OrderRow {
  id: number;
  order_no: string;
  user_id: number;
  kind: 'normal' | 'seckill';
  status: OrderStatus;
  /** DECIMAL, read as a string ("19.90"). */
  total_amount: string;
  activity_id: number | null;
  buyer_slot: number | null;
  expires_at: Date | null;
  paid_at: Date | null;
  cancelled_at: Date | null;
  shipped_at: Date | null;
  completed_at: Date | null;
  refunded_at: Date | null;
  /** The payment provider's reference of the payment that paid it (notify only). */
  payment_ref: string | null;
  created_at: Date;
}

export interface OrderItemRow {
  order_id: number;
  product_id: number;
  product_name: string;
  unit_price: string;
  quantity: number;
  subtotal: string;
}

const ORDER_COLUMNS = [
  'id',
  'order_no',
  'user_id',
  'kind',
  'status',
  'total_amount',
  'activity_id',
  'buyer_slot',
  'expires_at',
  'paid_at',
  'cancelled_at',
  'shipped_at',
  'completed_at',
  'refunded_at',
  'payment_ref',
  'created_at',
] as const;

const ORDER_CREATED = { column: 'created_at', order: 'desc' } as const;
const ORDER_ID = { column: 'id', order: 'desc' } as const;

/**
 * Orders and their lines. Built on the app's Knex or on a transaction; `ownerId` narrows a
 * lookup to one user's orders (absent for system work such as a payment timeout).
 */
export class OrderRepository {
  constructor(private readonly db: Knex) {}

  private byNo(orderNo: string, ownerId?: number) {
    const query = this.db<OrderRow>('orders')
      .select(...ORDER_COLUMNS)
      .where({ order_no: orderNo });
    return ownerId === undefined ? query : query.where({ user_id: ownerId });
  }

  find(orderNo: string, ownerId?: number): Promise<OrderRow | undefined> {
    return this.byNo(orderNo, ownerId).first();
  }

  /** The order, locked until the transaction ends. */
  lock(orderNo: string, ownerId?: number): Promise<OrderRow | undefined> {
    return this.byNo(orderNo, ownerId).forUpdate().first();
  }

  /** One page, newest first: one user's orders, or everyone's (`userId` undefined, admins). */
  async list(
    userId: number | undefined,
    query: OrderQuery,
  ): Promise<{ rows: OrderRow[]; total: number }> {
    const filtered = () => {
      const all = this.db<OrderRow>('orders');
      const builder = userId === undefined ? all : all.where({ user_id: userId });
      return query.status ? builder.where({ status: query.status }) : builder;
    };
    const [rows, counted] = await Promise.all([
      filtered()
        .select(...ORDER_COLUMNS)
        // A user's orders by id (idx_orders_user_status); everyone's by creation
        // (idx_orders_status_created): the same order, as ids grow with time.
        .orderBy(userId === undefined ? [ORDER_CREATED, ORDER_ID] : [ORDER_ID])
        .limit(query.page_size)
        .offset((query.page - 1) * query.page_size),
      filtered().count({ total: '*' }).first(),
    ]);
    return { rows, total: Number(counted?.total ?? 0) };
  }

  itemsOf(orderIds: number[]): Promise<OrderItemRow[]> {
    if (orderIds.length === 0) return Promise.resolve([]);
    return this.db<OrderItemRow>('order_items')
      .whereIn('order_id', orderIds)
      .orderBy('id')
      .select('order_id', 'product_id', 'product_name', 'unit_price', 'quantity', 'subtotal');
  }

  async insert(order: {
    order_no: string;
    user_id: number;
    total_amount: string;
    created_at: Date;
    expires_at: Date;
    items: Omit<OrderItemRow, 'order_id'>[];
  }): Promise<number> {
    const { items, ...head } = order;
    const [id] = await this.db('orders').insert({
      ...head,
      updated_at: head.created_at,
      kind: 'normal',
      status: 'pending',
    });
    const orderId = Number(id);
    await this.db('order_items').insert(items.map((item) => ({ ...item, order_id: orderId })));
    return orderId;
  }

  /**
   * Compare-and-set pending → paid by primary key (an UPDATE by order_no may be planned on
   * a status index and deadlock with concurrent cancels), refused once the payment window
   * has closed. `paymentRef` records the provider's payment (the notification).
   */
  async markPaid(id: number, now: Date, paymentRef?: string): Promise<boolean> {
    const count = await this.db('orders')
      .where({ id, status: 'pending' })
      .where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now))
      .update({
        status: 'paid',
        paid_at: now,
        updated_at: now,
        ...(paymentRef === undefined ? {} : { payment_ref: paymentRef }),
      });
    return count > 0;
  }

  /** Compare-and-set `from` → `to` of one order, stamping the transition's time column. */
  async transition(id: number, from: OrderStatus, to: OrderStatus, now: Date): Promise<boolean> {
    const count = await this.db('orders')
      .where({ id, status: from })
      .update({ status: to, [STAMP[to]]: now, updated_at: now });
    return count > 0;
  }

  /** Unpaid orders (any kind) past their deadline by `graceMs`: their timeout message was lost. */
  async overdue(graceMs: number, limit: number): Promise<string[]> {
    const rows = (await this.db('orders')
      .select('order_no')
      .whereIn('kind', ['normal', 'seckill'])
      .where({ status: 'pending' })
      .where('expires_at', '<', new Date(Date.now() - graceMs))
      .limit(limit)) as Array<{ order_no: string }>;
    return rows.map((row) => row.order_no);
  }
}

/** The column each status's transition stamps. */
const STAMP: Record<OrderStatus, keyof OrderRow> = {
  pending: 'created_at',
  paid: 'paid_at',
  shipped: 'shipped_at',
  completed: 'completed_at',
  cancelled: 'cancelled_at',
  refunded: 'refunded_at',
};
