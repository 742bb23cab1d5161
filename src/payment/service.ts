import { DomainError, invalid, notFound } from '../errors/domain-error.js';
import { Reason } from '../errors/reason.js';
import type { Knex } from '../infra/db.js';
import { formatCents, toCents } from '../money.js';
import { OrderRepository, type OrderRow } from '../order/repository.js';
import { payRefusal, type OrderService } from '../order/service.js';
import type { OrderView } from '../order/view.js';
import type { PaymentNotification } from './schemas.js';

export interface PaymentServiceDeps {
  db: Knex;
  orders: OrderService;
}

const isDuplicate = (error: unknown) => (error as { code?: string }).code === 'ER_DUP_ENTRY';

/**
 * Payments as the provider reports them (signature already checked). Paying is the same
 * compare-and-set as the simulated pay (pending and not past expires_at), recording the
 * provider's payment_id; a notification of the payment that already paid the order is
 * answered like the first one and changes nothing, so the provider may repeat it freely.
 */
export class PaymentService {
  constructor(private readonly deps: PaymentServiceDeps) {}

  async notify(input: PaymentNotification): Promise<OrderView> {
    const orders = new OrderRepository(this.deps.db);
    const order = await orders.find(input.order_no);
    if (!order) throw notFound(`order ${input.order_no} not found`);
    if (order.payment_ref === input.payment_id) return this.deps.orders.detail(order.order_no);
    if (toCents(order.total_amount) !== input.amount) {
      throw invalid(
        `amount: ${formatCents(input.amount)} does not match the order's total ${order.total_amount}`,
      );
    }
    if (await this.markPaid(orders, order, input.payment_id))
      return this.deps.orders.detail(order.order_no);
    // Lost the compare-and-set: to a repeat of this very notification, or to something else.
    const now = await orders.find(order.order_no);
    if (now?.payment_ref === input.payment_id) return this.deps.orders.detail(order.order_no);
    throw await payRefusal(orders, order);
  }

  private async markPaid(
    orders: OrderRepository,
    order: OrderRow,
    paymentId: string,
  ): Promise<boolean> {
    try {
      return await orders.markPaid(order.id, new Date(), paymentId);
    } catch (error) {
      if (!isDuplicate(error)) throw error;
      throw new DomainError(Reason.Conflict, `payment ${paymentId} already paid another order`);
    }
  }
}
