import { z, type ZodType } from 'zod';
import { badRequest } from './errors.js';

/**
 * Parses request input with a zod schema. A failure is a 400 whose message names the
 * field ("quantity: Expected number, received string"), never a 500.
 */
export function parseInput<S extends ZodType>(
  schema: S,
  input: unknown,
  where = 'body',
): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data as z.infer<S>;
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : where;
  throw badRequest(`${field}: ${issue.message}`);
}

/** A positive integer id from a path segment ("12"); "abc", "0", "1.5" are 400. */
export const idParam = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'must be a positive integer')
  .transform(Number);

export const pagination = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}
