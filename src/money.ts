import { z } from 'zod';

/**
 * Money travels as "19.90" and is computed in integer cents, so no total is ever off by a
 * floating-point cent. Requests may send a number (19.9) or such a string.
 */
export const moneyInput = z
  .union([z.number(), z.string().regex(/^\d{1,10}(\.\d{1,2})?$/, 'must look like "19.90"')])
  .transform((value, ctx) => {
    const cents = toCents(value);
    if (cents === null || cents < 0 || cents > 999_999_999_999) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'must be an amount ≥ 0 with at most 2 decimals',
      });
      return z.NEVER;
    }
    return cents;
  });

export function toCents(value: number | string): number | null {
  const text = typeof value === 'number' ? String(value) : value;
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
