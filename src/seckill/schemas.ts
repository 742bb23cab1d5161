import { z } from 'zod';
import { moneyInput } from '../money.js';

const positiveId = z
  .union([z.number(), z.string().regex(/^\d+$/, 'must be a positive integer').transform(Number)])
  .pipe(
    z
      .number()
      .int('must be a positive integer')
      .positive('must be a positive integer')
      .max(Number.MAX_SAFE_INTEGER),
  );

const isoTime = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO-8601 time like "2026-11-25T12:00:00Z"' })
  .transform((text) => new Date(text));

export const reserveInput = z.object({
  product_id: positiveId,
  quantity: z.number().int('must be an integer').min(1).max(1000).default(1),
});

export type ReserveInput = z.infer<typeof reserveInput>;

export const initInput = z
  .object({
    product_id: positiveId,
    stock: z.number().int('must be an integer').min(0).max(10_000_000),
    price: moneyInput.optional(),
    start_at: isoTime.optional(),
    end_at: isoTime.optional(),
    limit_per_user: z.number().int('must be an integer').min(1).max(1000).default(1),
  })
  .refine((input) => !input.start_at || !input.end_at || input.end_at > input.start_at, {
    message: 'must be after start_at',
    path: ['end_at'],
  });

export type InitInput = z.infer<typeof initInput>;

export const resultQuery = z.object({ product_id: positiveId });

/** An Idempotency-Key header: up to 128 visible characters without spaces. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;
