import type { OrderItemRow, OrderRow } from './repository.js';

export interface OrderView {
  order_no: string;
  kind: OrderRow['kind'];
  status: OrderRow['status'];
  total_amount: string;
  items: Omit<OrderItemRow, 'order_id'>[];
  created_at: string;
  /** When an unpaid order is cancelled; null only for orders older than expiry. */
  expires_at: string | null;
  paid_at: string | null;
  cancelled_at: string | null;
  shipped_at: string | null;
  completed_at: string | null;
  refunded_at: string | null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function orderView(order: OrderRow, items: OrderItemRow[]): OrderView {
  return {
    order_no: order.order_no,
    kind: order.kind,
    status: order.status,
    total_amount: order.total_amount,
    items: items.map(({ order_id: _orderId, ...item }) => item),
    created_at: order.created_at.toISOString(),
    expires_at: iso(order.expires_at),
    paid_at: iso(order.paid_at),
    cancelled_at: iso(order.cancelled_at),
    shipped_at: iso(order.shipped_at),
    completed_at: iso(order.completed_at),
    refunded_at: iso(order.refunded_at),
  };
}
