import type { Principal } from '../auth/jwt.js';
import { CartRepository } from '../cart/repository.js';
import { conflict, DomainError, invalid, notFound } from '../errors/domain-error.js';
import { Reason } from '../errors/reason.js';
import type { Page } from '../validation/page.js';
import type { Knex } from '../infra/db.js';
import { formatCents, toCents } from '../money.js';
import { ProductRepository } from '../product/repository.js';
import { TRANSITIONS, type OrderStatus } from './lifecycle.js';
import { newOrderNo } from './order-no.js';
import { OrderRepository, type OrderRow } from './repository.js';
import type { OrderCreate, OrderQuery } from './schemas.js';
import { orderView, type OrderView } from './view.js';

/** DECIMAL(12,2) holds at most this many cents. */
const MAX_AMOUNT_CENTS = 999_999_999_999;

/**
 * Gives a cancelled seckill order's unit back. Runs inside the cancel's transaction, after
 * the order row is locked and marked cancelled, so the give-back happens exactly when the
 * cancel commits (work outside MySQL can wait for `trx.executionPromise`).
 */
export type SeckillCancelHook = (order: OrderRow, trx: Knex.Transaction) => Promise<void>;

/**
 * Schedules the payment timeout of a normal order just committed (a message into the delay
 * queue), without waiting for the broker and without throwing: the sweeper cancels an
 * order whose timeout message never made it.
 */
export type ScheduleTimeout = (orderNo: string) => void;

export interface OrderServiceDeps {
  db: Knex;
  /** Drops product details from the cache; called after commit whenever stock changed. */
  invalidateProducts: (ids: number[]) => Promise<void>;
  /** Wired by the seckill module; without it, cancelling a seckill order is refused. */
  onSeckillCancel?: SeckillCancelHook;
  /** order.payment_timeout_seconds in ms: how long a normal order waits for its payment. */
  paymentTimeoutMs: number;
  /** order.refund_restock: a refunded normal order gives its stock back. */
  refundRestock: boolean;
  /** Wired where a broker is at hand (the API server); without it, the sweeper expires orders. */
  scheduleTimeout?: ScheduleTimeout;
}

const missing = (orderNo: string) => notFound(`order ${orderNo} not found`);

/** Why a pay's compare-and-set failed: the order is no longer pending, or its window closed. */
export async function payRefusal(orders: OrderRepository, order: OrderRow): Promise<DomainError> {
  const now = (await orders.find(order.order_no)) ?? order;
  if (now.status !== 'pending') return wrongStatus(order.order_no, now.status, 'pending');
  return conflict(
    `order ${order.order_no}: the payment window closed at ${now.expires_at!.toISOString()}`,
  );
}

/** A transition refused by its compare-and-set: the 409 names the status the order has. */
const wrongStatus = (orderNo: string, status: OrderStatus, expected: OrderStatus) =>
  conflict(`order ${orderNo} is ${status}, not ${expected}`);

const soldOut = (productId: number, left: number) =>
  new DomainError(Reason.SoldOut, `product ${productId}: only ${left} left`);

const byProductId = (a: { product_id: number }, b: { product_id: number }) =>
  a.product_id - b.product_id;

/**
 * Normal orders. Creating one is one transaction: stock is taken by conditional UPDATEs in
 * ascending product id (every transaction locks products in that order, so two orders
 * over the same products wait for each other instead of deadlocking), then the order and
 * its lines are written and, for an order from the cart, those cart lines removed.
 */
export class OrderService {
  constructor(private readonly deps: OrderServiceDeps) {}

  async create(userId: number, input: OrderCreate): Promise<OrderView> {
    const { orderNo, productIds } = await this.deps.db.transaction(async (trx) => {
      const carts = new CartRepository(trx);
      const wanted = input.items ?? (await carts.lockLines(userId));
      if (wanted.length === 0) throw invalid('from_cart: the cart is empty');
      const lines = [...wanted].sort(byProductId);

      const products = new ProductRepository(trx);
      for (const { product_id, quantity } of lines) {
        if (!(await products.takeStock(product_id, quantity))) {
          const product = await products.findById(product_id);
          throw product
            ? soldOut(product_id, product.stock)
            : notFound(`product ${product_id} not found`);
        }
      }
      // Read after the UPDATEs: the rows are locked now, so no price changes under us.
      const rows = new Map(
        (await products.findByIds(lines.map((line) => line.product_id))).map((p) => [p.id, p]),
      );
      let total = 0;
      const items = lines.map(({ product_id, quantity }) => {
        const product = rows.get(product_id)!;
        const subtotal = toCents(product.price)! * quantity;
        total += subtotal;
        return {
          product_id,
          product_name: product.name,
          unit_price: product.price,
          quantity,
          subtotal: formatCents(subtotal),
        };
      });
      if (total > MAX_AMOUNT_CENTS)
        throw invalid(`items: the total exceeds ${formatCents(MAX_AMOUNT_CENTS)}`);

      const now = new Date();
      const orderNo = newOrderNo(now);
      await new OrderRepository(trx).insert({
        order_no: orderNo,
        user_id: userId,
        total_amount: formatCents(total),
        created_at: now,
        expires_at: new Date(now.getTime() + this.deps.paymentTimeoutMs),
        items,
      });
      const productIds = lines.map((line) => line.product_id);
      if (input.from_cart) await carts.removeProducts(userId, productIds);
      return { orderNo, productIds };
    });
    await this.deps.invalidateProducts(productIds);
    this.deps.scheduleTimeout?.(orderNo);
    return this.detail(orderNo, userId);
  }

  /** One user's orders, or everyone's when `userId` is undefined (the admins' list). */
  async list(userId: number | undefined, query: OrderQuery): Promise<Page<OrderView>> {
    const orders = new OrderRepository(this.deps.db);
    const { rows, total } = await orders.list(userId, query);
    const items = await orders.itemsOf(rows.map((row) => row.id));
    return {
      items: rows.map((row) =>
        orderView(
          row,
          items.filter((item) => item.order_id === row.id),
        ),
      ),
      total,
      page: query.page,
      page_size: query.page_size,
    };
  }

  /** Another user's order is 404, exactly like one that does not exist. */
  async detail(orderNo: string, ownerId?: number): Promise<OrderView> {
    const orders = new OrderRepository(this.deps.db);
    const order = await orders.find(orderNo, ownerId);
    if (!order) throw missing(orderNo);
    return orderView(order, await orders.itemsOf([order.id]));
  }

  /**
   * The simulated payment (dev and test): pending → paid, once, by the buyer. A
   * compare-and-set, so two pays (or a pay racing a cancel or the timeout) cannot both win.
   */
  async pay(orderNo: string, ownerId: number): Promise<OrderView> {
    const orders = new OrderRepository(this.deps.db);
    const order = await orders.find(orderNo, ownerId);
    if (!order) throw missing(orderNo);
    if (!(await orders.markPaid(order.id, new Date()))) throw await payRefusal(orders, order);
    return this.detail(orderNo, ownerId);
  }

  /** paid → shipped (admins: any order). */
  async ship(orderNo: string): Promise<OrderView> {
    await this.move(orderNo, 'ship');
    return this.detail(orderNo);
  }

  /** shipped → completed: the buyer confirms receipt of their own order. */
  async confirm(orderNo: string, ownerId: number): Promise<OrderView> {
    await this.move(orderNo, 'confirm', ownerId);
    return this.detail(orderNo, ownerId);
  }

  /**
   * paid → refunded. The rule: an admin refunds any paid order; a buyer refunds their own
   * while it is paid, i.e. before it ships (a shipped order is the shop's to settle; returns
   * are not modelled). A normal order gives its stock back when order.refund_restock; a
   * seckill order never does (its unit stays sold, so the sale's figures and reconcile hold).
   */
  async refund(orderNo: string, requester: Principal): Promise<OrderView> {
    const ownerId = requester.role === 'admin' ? undefined : requester.id;
    const restocked = await this.deps.db.transaction(async (trx) => {
      const orders = new OrderRepository(trx);
      // Order row first, then products in ascending id: the lock order of create and cancel.
      const order = await orders.lock(orderNo, ownerId);
      if (!order) throw missing(orderNo);
      const { from, to } = TRANSITIONS.refund;
      if (!(await orders.transition(order.id, from, to, new Date())))
        throw wrongStatus(orderNo, order.status, from);
      if (order.kind !== 'normal' || !this.deps.refundRestock) return [];
      return this.restock(trx, orders, order);
    });
    await this.deps.invalidateProducts(restocked);
    return this.detail(orderNo, ownerId);
  }

  /** One compare-and-set transition; a refusal names the order's current status. */
  private async move(orderNo: string, transition: 'ship' | 'confirm', ownerId?: number) {
    const orders = new OrderRepository(this.deps.db);
    const order = await orders.find(orderNo, ownerId);
    if (!order) throw missing(orderNo);
    const { from, to } = TRANSITIONS[transition];
    if (await orders.transition(order.id, from, to, new Date())) return;
    const now = await orders.find(orderNo, ownerId);
    throw wrongStatus(orderNo, now?.status ?? order.status, from);
  }

  /** Gives a normal order's lines back to the products, in ascending id. */
  private async restock(
    trx: Knex.Transaction,
    orders: OrderRepository,
    order: OrderRow,
  ): Promise<number[]> {
    const products = new ProductRepository(trx);
    const lines = (await orders.itemsOf([order.id])).sort(byProductId);
    for (const line of lines) await products.restoreStock(line.product_id, line.quantity);
    return lines.map((line) => line.product_id);
  }

  /**
   * pending → cancelled, and the stock goes back in the same transaction. `ownerId` is the
   * user asking; system cancels (payment timeout) leave it out.
   */
  async cancel(orderNo: string, ownerId?: number): Promise<OrderView> {
    const restocked = await this.deps.db.transaction(async (trx) => {
      const orders = new OrderRepository(trx);
      // Order row first, then products in ascending id: the same order create() locks them in.
      const order = await orders.lock(orderNo, ownerId);
      if (!order) throw missing(orderNo);
      if (!(await orders.transition(order.id, 'pending', 'cancelled', new Date()))) {
        throw wrongStatus(orderNo, order.status, 'pending');
      }
      if (order.kind === 'seckill') {
        if (!this.deps.onSeckillCancel)
          throw new Error('no seckill cancel hook is wired into OrderService');
        await this.deps.onSeckillCancel(order, trx);
        return [];
      }
      return this.restock(trx, orders, order);
    });
    await this.deps.invalidateProducts(restocked);
    return this.detail(orderNo, ownerId);
  }

  /** Unpaid orders past their deadline by `graceMs` (the sweeper's backstop). */
  overdue(graceMs: number, limit: number): Promise<string[]> {
    return new OrderRepository(this.deps.db).overdue(graceMs, limit);
  }
}
