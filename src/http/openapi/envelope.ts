import { z, type ZodTypeAny } from 'zod';
import type { Reason } from '../../errors/reason.js';

/**
 * The envelope of src/http/envelope.ts as zod, so the document shows it and the OpenAPI
 * test can parse real answers with it. Strict: a field the document does not name fails.
 */
export function okEnvelope(status: number, data: ZodTypeAny) {
  return z.object({ code: z.literal(status), msg: z.string(), data }).strict();
}

/** An error answer: `data` is null (or the given shape) and `reason` one of `reasons`. */
export function errorEnvelope(
  status: number,
  reasons: [Reason, ...Reason[]],
  data: ZodTypeAny = z.null(),
) {
  return z
    .object({ code: z.literal(status), msg: z.string(), data, reason: z.enum(reasons) })
    .strict();
}
