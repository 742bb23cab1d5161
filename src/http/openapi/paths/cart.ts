import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { cartLine, cartRemoval } from '../../../cart/schemas.js';
import { Reason } from '../../../errors/reason.js';
import { MOUNTS } from '../../mounts.js';
import { id, money } from '../fields.js';
import { json, registerOperation, type Failure } from '../operation.js';

/** CartView of src/cart/service.ts. */
const cart = z
  .object({
    items: z.array(
      z
        .object({
          product_id: id,
          name: z.string(),
          unit_price: money,
          quantity: z.number().int().min(1),
          subtotal: money,
          stock: z.number().int().min(0).describe('Live stock, so the page can warn early'),
        })
        .strict(),
    ),
    total: money,
  })
  .strict();

const noProduct: Failure = {
  status: 404,
  reasons: [Reason.NotFound],
  when: 'No such product',
  msg: 'product 42 not found',
};

export function cartPaths(registry: OpenAPIRegistry): void {
  const Cart = registry.register('Cart', cart);
  const CartLine = registry.register('CartLine', cartLine);
  const ok = { status: 200, description: 'The cart after the change', data: Cart };

  registerOperation(registry, {
    method: 'get',
    path: MOUNTS.cart,
    tag: 'cart',
    summary: 'The caller’s cart: lines with product and subtotal',
    access: 'user',
    ok: { ...ok, description: 'The cart' },
  });

  registerOperation(registry, {
    method: 'post',
    path: MOUNTS.cart,
    tag: 'cart',
    summary: 'Add units of a product to the cart',
    access: 'user',
    request: { body: json(CartLine) },
    invalid: 'quantity: Number must be less than or equal to 999',
    ok,
    failures: [
      noProduct,
      {
        status: 400,
        reasons: [Reason.ValidationError],
        when: 'The line would exceed its maximum quantity',
        msg: 'quantity: a cart line holds at most 999 units',
      },
    ],
  });

  registerOperation(registry, {
    method: 'put',
    path: MOUNTS.cart,
    tag: 'cart',
    summary: 'Set the quantity of a product in the cart',
    access: 'user',
    request: { body: json(CartLine) },
    invalid: 'product_id: Expected number, received string',
    ok,
    failures: [noProduct],
  });

  registerOperation(registry, {
    method: 'delete',
    path: MOUNTS.cart,
    tag: 'cart',
    summary: 'Remove one product’s line',
    access: 'user',
    request: { body: json(registry.register('CartRemoval', cartRemoval)) },
    invalid: 'product_id: Required',
    ok,
    failures: [
      {
        status: 404,
        reasons: [Reason.NotFound],
        when: 'The product is not in the cart',
        msg: 'product 42 is not in the cart',
      },
    ],
  });

  registerOperation(registry, {
    method: 'delete',
    path: `${MOUNTS.cart}/clear`,
    tag: 'cart',
    summary: 'Empty the cart',
    access: 'user',
    ok: {
      status: 200,
      description: 'Emptied',
      data: z.object({ removed: z.number().int().min(0) }).strict(),
    },
  });
}
