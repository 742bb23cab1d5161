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

/** How a sale keeps bots out; see docs/API.md "Anti-bot". */
export const ANTI_BOT_MODES = ['none', 'path', 'captcha'] as const;
export type AntiBot = (typeof ANTI_BOT_MODES)[number];

export const initInput = z
  .object({
    product_id: positiveId,
    stock: z.number().int('must be an integer').min(0).max(10_000_000),
    price: moneyInput.optional(),
    start_at: isoTime.optional(),
    end_at: isoTime.optional(),
    limit_per_user: z.number().int('must be an integer').min(1).max(1000).default(1),
    anti_bot: z.enum(ANTI_BOT_MODES).default('none'),
  })
  .refine((input) => !input.start_at || !input.end_at || input.end_at > input.start_at, {
    message: 'must be after start_at',
    path: ['end_at'],
  });

export type InitInput = z.infer<typeof initInput>;

/** POST /api/seckill/:product_id/token: empty for `path`, the solved captcha for `captcha`. */
export const tokenInput = z.object({
  captcha_id: z
    .string()
    .regex(/^[0-9a-f]{32}$/, 'must be the captcha_id the captcha route gave')
    .optional(),
  answer: z.string().min(1).max(16).optional(),
});

export type TokenInput = z.infer<typeof tokenInput>;

export const resultQuery = z.object({ product_id: positiveId });

/** An Idempotency-Key header: up to 128 visible characters without spaces. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;
