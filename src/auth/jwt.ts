import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../config/schema.js';

export type Role = 'user' | 'admin';

export interface Principal {
  id: number;
  role: Role;
}

export interface IssuedToken {
  token: string;
  expires_at: string;
}

export interface JwtCodec {
  sign(principal: Principal): IssuedToken;
  /** The principal of a valid token, or null for any bad one (garbled, expired, alg:none…). */
  verify(token: string): Principal | null;
}

/**
 * HS256 only. The secret becomes a KeyObject once: handed a string, jsonwebtoken builds
 * a key on every call, which made verify several times slower on the hot path.
 */
export function createJwtCodec(settings: Config['jwt']): JwtCodec {
  const key: KeyObject = createSecretKey(Buffer.from(settings.secret, 'utf8'));
  const verifyOptions: jwt.VerifyOptions & { complete: false } = {
    algorithms: ['HS256'],
    issuer: settings.issuer,
    complete: false,
  };
  return {
    sign(principal) {
      const expiresAt = Math.floor(Date.now() / 1000) + settings.ttl_seconds;
      const token = jwt.sign(
        { sub: String(principal.id), role: principal.role, exp: expiresAt },
        key,
        {
          algorithm: 'HS256',
          issuer: settings.issuer,
        },
      );
      return { token, expires_at: new Date(expiresAt * 1000).toISOString() };
    },
    verify(token) {
      try {
        const claims = jwt.verify(token, key, verifyOptions);
        if (typeof claims !== 'object') return null;
        const id = Number(claims.sub);
        const role = claims['role'];
        if (!Number.isSafeInteger(id) || id <= 0 || (role !== 'user' && role !== 'admin'))
          return null;
        return { id, role };
      } catch {
        return null;
      }
    },
  };
}
