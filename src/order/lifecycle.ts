/**
 * The order lifecycle (docs/API.md, Orders). Every transition is one compare-and-set on the status
 * (`UPDATE … WHERE status = <from>`), so of two racing transitions exactly one wins and the
 * other is a 409 naming the status the order has by then.
 *
 *   pending ──pay / notify──▶ paid ──ship (admin)──▶ shipped ──confirm (buyer)──▶ completed
 *      │                        │
 *      └──cancel / timeout──▶ cancelled      └──refund──▶ refunded
 */
export const ORDER_STATUSES = [
  'pending',
  'paid',
  'shipped',
  'completed',
  'cancelled',
  'refunded',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The transitions after payment: the status each starts from and ends in. */
export const TRANSITIONS = {
  ship: { from: 'paid', to: 'shipped' },
  confirm: { from: 'shipped', to: 'completed' },
  refund: { from: 'paid', to: 'refunded' },
} as const satisfies Record<string, { from: OrderStatus; to: OrderStatus }>;

export type Transition = keyof typeof TRANSITIONS;
