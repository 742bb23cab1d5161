import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ORDER_STATUSES, orderCreate, orderNoParam, orderQuery } from '../../../order/schemas.js';
import { paymentNotification } from '../../../payment/schemas.js';
import { Reason } from '../../../errors/reason.js';
import { MOUNTS } from '../../mounts.js';
import { id, money, page, timestamp } from '../fields.js';
import { json, registerOperation, type Failure } from '../operation.js';

/** OrderView of src/order/view.ts. */
const order = z
  .object({
    order_no: z.string(),
    kind: z.enum(['normal', 'seckill']),
    status: z.enum(ORDER_STATUSES),
    total_amount: money,
    items: z.array(
      z
        .object({
          product_id: id,
          product_name: z.string(),
          unit_price: money,
          quantity: z.number().int().min(1),
          subtotal: money,
        })
        .strict(),
    ),
    created_at: timestamp,
    expires_at: timestamp
      .nullable()
      .describe('When an unpaid order is cancelled (null only for orders from before expiry)'),
    paid_at: timestamp.nullable(),
    cancelled_at: timestamp.nullable(),
    shipped_at: timestamp.nullable(),
    completed_at: timestamp.nullable(),
    refunded_at: timestamp.nullable(),
  })
  .strict();

const missing: Failure = {
  status: 404,
  reasons: [Reason.NotFound],
  when: 'No such order of the caller’s (another user’s order is 404 too)',
  msg: 'order 20261125120000000ABCDEFGHJKMNP not found',
};

/** A transition's compare-and-set refused: the answer names the order's current status. */
const wrongStatus = (from: string, current: string): Failure => ({
  status: 409,
  reasons: [Reason.Conflict],
  when: `The order is not ${from} (the message names its status)`,
  msg: `order 20261125120000000ABCDEFGHJKMNP is ${current}, not ${from}`,
});

const notPending = wrongStatus('pending', 'paid');

export function orderPaths(registry: OpenAPIRegistry): void {
  const Order = registry.register('Order', order);
  const params = z.object({ order_no: orderNoParam });
  const byNo = `${MOUNTS.order}/{order_no}`;
  const invalidNo = 'order_no: must be an order number';

  registerOperation(registry, {
    method: 'post',
    path: MOUNTS.order,
    tag: 'order',
    summary: 'Place an order from items or from the cart',
    description:
      'Give `items` or `from_cart: true`, not both. Stock is taken in the same transaction.',
    access: 'user',
    request: { body: json(registry.register('OrderCreate', orderCreate)) },
    invalid: 'items: give either items or from_cart: true',
    ok: { status: 201, description: 'Created (pending)', data: Order },
    failures: [
      {
        status: 400,
        reasons: [Reason.ValidationError],
        when: 'from_cart with an empty cart',
        msg: 'from_cart: the cart is empty',
      },
      {
        status: 404,
        reasons: [Reason.NotFound],
        when: 'A product does not exist',
        msg: 'product 42 not found',
      },
      {
        status: 409,
        reasons: [Reason.SoldOut],
        when: 'Not enough stock of a product',
        msg: 'product 42: only 3 left',
      },
    ],
  });

  registerOperation(registry, {
    method: 'get',
    path: MOUNTS.order,
    tag: 'order',
    summary: 'The caller’s orders (paged, optional status)',
    access: 'user',
    request: { query: orderQuery },
    invalid:
      "status: Invalid enum value. Expected 'pending' | 'paid' | 'shipped' | 'completed' | 'cancelled' | 'refunded', received 'x'",
    ok: { status: 200, description: 'One page of orders, newest first', data: page(Order) },
  });

  registerOperation(registry, {
    method: 'get',
    path: byNo,
    tag: 'order',
    summary: 'One of the caller’s orders',
    access: 'user',
    request: { params },
    invalid: invalidNo,
    ok: { status: 200, description: 'The order', data: Order },
    failures: [missing],
  });

  registerOperation(registry, {
    method: 'post',
    path: `${byNo}/pay`,
    tag: 'order',
    summary: 'Simulated payment (dev and test): pending → paid, once',
    description:
      'Only while `payment.simulated_pay` is on (the dev and test overlays; every other env ' +
      'refuses it): elsewhere this answers 404 and payments arrive at `POST /api/payment/notify`.',
    access: 'user',
    request: { params },
    invalid: invalidNo,
    ok: { status: 200, description: 'Paid', data: Order },
    failures: [
      missing,
      {
        status: 404,
        reasons: [Reason.NotFound],
        when: 'Simulated payment is off (outside dev and test)',
        msg: 'simulated payment is off here (payment.simulated_pay)',
      },
      notPending,
      {
        status: 409,
        reasons: [Reason.Conflict],
        when: 'The payment window closed',
        msg: 'order 20261125120000000ABCDEFGHJKMNP: the payment window closed at 2026-11-25T12:15:00.000Z',
      },
    ],
  });

  registerOperation(registry, {
    method: 'post',
    path: `${byNo}/cancel`,
    tag: 'order',
    summary: 'Cancel: pending → cancelled, stock given back',
    access: 'user',
    request: { params },
    invalid: invalidNo,
    ok: { status: 200, description: 'Cancelled', data: Order },
    failures: [missing, notPending],
  });

  registerOperation(registry, {
    method: 'post',
    path: `${byNo}/ship`,
    tag: 'order',
    summary: 'Ship: paid → shipped (admins, any order)',
    access: 'admin',
    request: { params },
    invalid: invalidNo,
    ok: { status: 200, description: 'Shipped', data: Order },
    failures: [{ ...missing, when: 'No such order' }, wrongStatus('paid', 'pending')],
  });

  registerOperation(registry, {
    method: 'post',
    path: `${byNo}/confirm`,
    tag: 'order',
    summary: 'Confirm receipt: shipped → completed (the buyer)',
    access: 'user',
    request: { params },
    invalid: invalidNo,
    ok: { status: 200, description: 'Completed', data: Order },
    failures: [missing, wrongStatus('shipped', 'paid')],
  });

  registerOperation(registry, {
    method: 'post',
    path: `${byNo}/refund`,
    tag: 'order',
    summary: 'Refund: paid → refunded (the buyer before shipping, or an admin)',
    description:
      'A buyer refunds their own order while it is paid (not yet shipped); an admin refunds ' +
      'any paid order. A normal order gives its stock back when `order.refund_restock` is on ' +
      '(default); a seckill order’s unit stays sold.',
    access: 'user',
    request: { params },
    invalid: invalidNo,
    ok: { status: 200, description: 'Refunded', data: Order },
    failures: [missing, wrongStatus('paid', 'shipped')],
  });

  registerOperation(registry, {
    method: 'get',
    path: `${MOUNTS.admin}/orders`,
    tag: 'order',
    summary: 'Everyone’s orders (admins; paged, optional status), e.g. the paid ones to ship',
    access: 'admin',
    request: { query: orderQuery },
    invalid:
      "status: Invalid enum value. Expected 'pending' | 'paid' | 'shipped' | 'completed' | 'cancelled' | 'refunded', received 'x'",
    ok: { status: 200, description: 'One page of orders, newest first', data: page(Order) },
  });

  registerOperation(registry, {
    method: 'post',
    path: `${MOUNTS.payment}/notify`,
    tag: 'order',
    summary: 'Payment notification from the provider: pending → paid, idempotent',
    description:
      'The signature is checked over the raw body before it is parsed. The amount must be ' +
      'the order’s total. A repeat of the notification that paid the order answers 200 and ' +
      'changes nothing (whatever the order’s status by then); another payment for a paid ' +
      'order, or one payment for a second order, is 409.',
    access: 'signature',
    request: { body: json(registry.register('PaymentNotification', paymentNotification)) },
    invalid: 'payment_id: Required',
    ok: { status: 200, description: 'Paid (or already paid by this payment)', data: Order },
    failures: [
      {
        status: 400,
        reasons: [Reason.ValidationError],
        when: 'The amount is not the order’s total',
        msg: "amount: 4.99 does not match the order's total 5.00",
      },
      { ...missing, when: 'No such order (nothing changes)' },
      notPending,
      {
        status: 409,
        reasons: [Reason.Conflict],
        when: 'This payment already paid another order',
        msg: 'payment pay_123 already paid another order',
      },
      {
        status: 409,
        reasons: [Reason.Conflict],
        when: 'The payment window closed',
        msg: 'order 20261125120000000ABCDEFGHJKMNP: the payment window closed at 2026-11-25T12:15:00.000Z',
      },
    ],
  });
}
