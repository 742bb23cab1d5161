import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying the signature: `X-Signature: sha256=<hex>` (a bare hex digest too). */
export const SIGNATURE_HEADER = 'x-signature';

const SHAPE = /^(?:sha256=)?([0-9a-fA-F]{64})$/;

/** The header value a provider sends for `body`, signed with `secret`. */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Whether `header` is the HMAC-SHA256 of the raw body under `secret`. The digests are
 * compared in constant time (crypto.timingSafeEqual over equal-length buffers), so the
 * time taken says nothing about how much of a forged signature was right.
 */
export function signatureMatches(
  secret: string,
  body: Buffer,
  header: string | undefined,
): boolean {
  const hex = header === undefined ? undefined : SHAPE.exec(header.trim())?.[1];
  if (hex === undefined) return false;
  const given = Buffer.from(hex, 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
