import { z } from 'zod';
import { lineQuantity, productId } from '../cart/schemas.js';
import { pagination } from '../validation/page.js';
import { ORDER_STATUSES } from './lifecycle.js';

export { ORDER_STATUSES } from './lifecycle.js';

/** Lines in one order: more is a bulk purchase, not a shopping cart. */
export const MAX_ORDER_LINES = 50;

const orderLine = z.object({ product_id: productId, quantity: lineQuantity });

/** Either explicit items or the caller's cart, never both. */
export const orderCreate = z
  .object({
    items: z.array(orderLine).min(1).max(MAX_ORDER_LINES).optional(),
    from_cart: z.boolean().optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.items !== undefined) === (body.from_cart === true)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['items'],
        message: 'give either items or from_cart: true',
      });
      return;
    }
    const seen = new Set<number>();
    body.items?.forEach((line, index) => {
      if (seen.has(line.product_id)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['items', index, 'product_id'],
          message: `product ${line.product_id} is listed twice; give one line with the total quantity`,
        });
      }
      seen.add(line.product_id);
    });
  });

/** A page of orders, optionally of one status: the user's own, or everyone's (admins). */
export const orderQuery = pagination.extend({ status: z.enum(ORDER_STATUSES).optional() });

/** Loose on purpose: a well-formed number that does not exist is a 404, not a 400. */
export const orderNoParam = z.string().regex(/^[0-9A-Za-z]{1,32}$/, 'must be an order number');

export type OrderCreate = z.infer<typeof orderCreate>;
export type OrderQuery = z.infer<typeof orderQuery>;
