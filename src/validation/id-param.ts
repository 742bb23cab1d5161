import { z } from 'zod';

/** A positive integer id from a path segment ("12"); "abc", "0", "1.5" are refused. */
export const idParam = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'must be a positive integer')
  .transform(Number);
