import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The one-time token of an anti-bot sale, signed rather than stored: the buy path checks
 * its signature, buyer, product and expiry in memory (constant-time compare, no Redis round
 * trip), and the reservation script spends its nonce in the same call that reserves, so a
 * token buys at most once. `<product>.<user>.<expires ms>.<nonce>.<signature>`.
 */
export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

const NONCE = /^[0-9a-f]{32}$/;
const MAX_TOKEN_LENGTH = 160;

export class AntiBotTokens {
  private readonly key: Buffer;

  /** Keyed from the JWT secret, with its own label so a token is never a valid JWT signature. */
  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = createHmac('sha256', secret).update('gomall seckill anti-bot token').digest();
  }

  issue(productId: number, userId: number, now = Date.now()): IssuedToken {
    const expires = now + this.ttlSeconds * 1000;
    const body = `${productId}.${userId}.${expires}.${randomBytes(16).toString('hex')}`;
    return { token: `${body}.${this.sign(body)}`, expiresAt: new Date(expires) };
  }

  /** The token's nonce when it is this buyer's, for this product, unexpired and genuine. */
  nonceOf(
    token: string | string[] | undefined,
    productId: number,
    userId: number,
    now = Date.now(),
  ): string | undefined {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
    const parts = token.split('.');
    if (parts.length !== 5) return undefined;
    const [product, user, expires, nonce, signature] = parts as [
      string,
      string,
      string,
      string,
      string,
    ];
    if (product !== String(productId) || user !== String(userId)) return undefined;
    if (!NONCE.test(nonce) || !(Number(expires) > now)) return undefined;
    const expected = Buffer.from(this.sign(parts.slice(0, 4).join('.')));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return nonce;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
