import type { Knex } from '../infra/db.js';
import type { OrderQuery } from './schemas.js';

export type OrderStatus = 'pending' | 'paid' | 'cancelled';

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
  'created_at',
] as const;

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

  async list(userId: number, query: OrderQuery): Promise<{ rows: OrderRow[]; total: number }> {
    const filtered = () => {
      const builder = this.db<OrderRow>('orders').where({ user_id: userId });
      return query.status ? builder.where({ status: query.status }) : builder;
    };
    const [rows, counted] = await Promise.all([
      filtered()
        .select(...ORDER_COLUMNS)
        .orderBy('id', 'desc')
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
    items: Omit<OrderItemRow, 'order_id'>[];
  }): Promise<number> {
    const { items, ...head } = order;
    const [id] = await this.db('orders').insert({ ...head, kind: 'normal', status: 'pending' });
    const orderId = Number(id);
    await this.db('order_items').insert(items.map((item) => ({ ...item, order_id: orderId })));
    return orderId;
  }

  /** Compare-and-set pending → paid, refused once the payment window has closed. */
  async markPaid(orderNo: string, ownerId: number, now: Date): Promise<boolean> {
    const count = await this.db('orders')
      .where({ order_no: orderNo, user_id: ownerId, status: 'pending' })
      .where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now))
      .update({ status: 'paid', paid_at: now, updated_at: now });
    return count > 0;
  }

  /** Compare-and-set pending → cancelled. */
  async markCancelled(id: number, now: Date): Promise<boolean> {
    const count = await this.db('orders')
      .where({ id, status: 'pending' })
      .update({ status: 'cancelled', cancelled_at: now, updated_at: now });
    return count > 0;
  }
}
