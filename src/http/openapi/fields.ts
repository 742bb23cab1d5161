import { z, type ZodTypeAny } from 'zod';

/** Shapes of response fields, shared by the modules' response descriptions. */

export const id = z.number().int().positive();

export const money = z
  .string()
  .regex(/^\d+\.\d{2}$/)
  .describe('A decimal amount with two places, e.g. "19.90"');

export const timestamp = z.string().datetime().describe('ISO-8601 UTC time');

/** `Page<T>` of src/validation/page.ts. */
export function page<T extends ZodTypeAny>(item: T) {
  return z
    .object({
      items: z.array(item),
      total: z.number().int().min(0),
      page: z.number().int().min(1),
      page_size: z.number().int().min(1),
    })
    .strict();
}
