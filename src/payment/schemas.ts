import { z } from 'zod';
import { moneyInput } from '../money.js';
import { orderNoParam } from '../order/schemas.js';

/**
 * The payment provider's notification: this order was paid this amount by this payment.
 * `payment_id` is the provider's reference; one payment pays at most one order, and a
 * repeated notification of it changes nothing.
 */
export const paymentNotification = z
  .object({
    order_no: orderNoParam,
    amount: moneyInput,
    payment_id: z.string().regex(/^[\x21-\x7e]{1,64}$/, 'must be 1 to 64 visible ASCII characters'),
  })
  .strict();

export type PaymentNotification = z.infer<typeof paymentNotification>;
