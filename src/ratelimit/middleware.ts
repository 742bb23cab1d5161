import type { Request, RequestHandler } from 'express';
import { rateLimited } from '../errors/domain-error.js';
import { GLOBAL_KEY, type LimiterName, type RateLimits } from './rate-limits.js';

/** Answers 429 RATE_LIMITED with Retry-After when the request's bucket is empty. */
function limit(
  limits: RateLimits,
  name: LimiterName,
  keyOf: (req: Request) => string | undefined,
): RequestHandler {
  return async (req, _res, next) => {
    const key = keyOf(req);
    if (key === undefined) return next();
    const verdict = await limits.tryConsume(name, key);
    if (!verdict.ok)
      throw rateLimited(verdict.retryAfterMs / 1000, `too many requests (${name} limit)`);
    next();
  };
}

const ipOf = (req: Request) => req.ip ?? 'unknown';

/** One bucket for the whole instance; mounted after the per-client ones. */
export const globalLimit = (limits: RateLimits) => limit(limits, 'global', () => GLOBAL_KEY);

/**
 * Per client: the user when the request carries a valid token (mount after
 * `authenticate`), else the IP, so users behind one address, or one load-test machine
 * driving many users, are not one client.
 */
export const apiLimit = (limits: RateLimits) =>
  limit(limits, 'api', (req) => (req.principal ? `user:${req.principal.id}` : `ip:${ipOf(req)}`));

/** Per IP: password guessing is slowed whatever username it tries. */
export const loginLimit = (limits: RateLimits) => limit(limits, 'login', ipOf);

/** Longest username key kept; usernames are shorter, so this only bounds a hostile body. */
const USERNAME_KEY_LENGTH = 64;

/**
 * Per username, from any IP (mount after body parsing): guessing one account's password from
 * many addresses is slowed too. Case-folded, as MySQL compares usernames.
 */
export const loginUserLimit = (limits: RateLimits) =>
  limit(limits, 'login_user', (req) => {
    const username: unknown = (req.body as { username?: unknown } | undefined)?.username;
    return typeof username === 'string'
      ? username.slice(0, USERNAME_KEY_LENGTH).toLowerCase()
      : undefined;
  });

/** Per IP: every registration costs a password hash. */
export const registerLimit = (limits: RateLimits) => limit(limits, 'register', ipOf);

declare module 'express-serve-static-core' {
  interface Locals {
    /**
     * The app's live limits, set by createApp: config reload calls update() on them, and
     * handlers outside express consume from them.
     */
    rateLimits?: RateLimits;
  }
}
