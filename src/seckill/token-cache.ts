import type { JwtCodec, Principal } from '../auth/jwt.js';

const MAX_ENTRIES = 100_000;
const MAX_AGE_MS = 60_000;

/**
 * A JwtCodec that remembers tokens it has verified, for the hot path: a buyer in a flash
 * sale sends the same token many times, and an HMAC verify (plus jsonwebtoken's checks)
 * was the largest single cost of POST /api/seckill. The key is the whole token, signature
 * included, so only a byte-identical copy of a verified token hits; an entry lives until
 * the token's exp or one minute, whichever comes first. Bounded: full means start over.
 */
export function cachingCodec(codec: JwtCodec): JwtCodec {
  const verified = new Map<string, { principal: Principal; until: number }>();
  return {
    sign: (principal) => codec.sign(principal),
    verify(token) {
      const now = Date.now();
      const hit = verified.get(token);
      if (hit && hit.until > now) return hit.principal;
      const principal = codec.verify(token);
      if (!principal) return null;
      if (verified.size >= MAX_ENTRIES) verified.clear();
      verified.set(token, { principal, until: Math.min(expiryOf(token), now + MAX_AGE_MS) });
      return principal;
    },
  };
}

/** exp of a token that has just been verified (so its payload is well-formed JSON). */
function expiryOf(token: string): number {
  const payload = token.slice(token.indexOf('.') + 1, token.lastIndexOf('.'));
  const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: number })
    .exp;
  return typeof exp === 'number' ? exp * 1000 : 0;
}
