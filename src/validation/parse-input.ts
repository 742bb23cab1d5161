import type { z, ZodType } from 'zod';
import { invalid } from '../errors/domain-error.js';

/**
 * Parses input (a request body, a query, a command's flags) with a zod schema. A failure is
 * a VALIDATION_ERROR whose message names the field ("quantity: Expected number, received
 * string"), never an internal error.
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
  throw invalid(`${field}: ${issue.message}`);
}
