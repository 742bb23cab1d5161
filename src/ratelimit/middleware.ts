import type { Request, RequestHandler } from 'express';
import { rateLimited } from '../errors/domain-error.js';
import { GLOBAL_KEY, type LimiterName, type RateLimits } from './rate-limits.js';

/** Answers 429 RATE_LIMITED with Retry-After when the request's bucket is empty. */
function limit(
  limits: RateLimits,
  name: LimiterName,
  keyOf: (req: Request) => string,
): RequestHandler {
  return async (req, _res, next) => {
    const verdict = await limits.tryConsume(name, keyOf(req));
    if (!verdict.ok)
      throw rateLimited(verdict.retryAfterMs / 1000, `too many requests (${name} limit)`);
    next();
  };
}

/** One bucket for the whole instance. */
export const globalLimit = (limits: RateLimits) => limit(limits, 'global', () => GLOBAL_KEY);

/**
 * Per client: the user when the request carries a valid token (mount after
 * `authenticate`), else the IP, so users behind one address, or one load-test machine
 * driving many users, are not one client.
 */
export const apiLimit = (limits: RateLimits) =>
  limit(limits, 'api', (req) =>
    req.principal ? `user:${req.principal.id}` : `ip:${req.ip ?? 'unknown'}`,
  );

/** Per IP: password guessing is slowed whatever username it tries. */
export const loginLimit = (limits: RateLimits) =>
  limit(limits, 'login', (req) => req.ip ?? 'unknown');

declare module 'express-serve-static-core' {
  interface Locals {
    /**
     * The app's live limits, set by createApp: config reload calls update() on them, and
     * handlers outside express consume from them.
     */
    rateLimits?: RateLimits;
  }
}
