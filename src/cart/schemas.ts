import { z } from 'zod';

/** Largest quantity of one product in a cart line or an order line. */
export const MAX_LINE_QUANTITY = 999;

export const productId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const lineQuantity = z.number().int().min(1).max(MAX_LINE_QUANTITY);

export const cartLine = z.object({ product_id: productId, quantity: lineQuantity });
export const cartRemoval = z.object({ product_id: productId });

export type CartLine = z.infer<typeof cartLine>;
