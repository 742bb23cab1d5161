import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { JwtCodec, Principal } from '../auth/jwt.js';
import { forbidden, unauthorized } from '../errors/domain-error.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `authenticate` when the request carried a valid bearer token. */
    principal?: Principal;
    /** Why the request's Authorization header was not accepted, when it carried a bad one. */
    credentialProblem?: string;
  }
}

/**
 * Longer than any token we issue (a few hundred bytes) by a wide margin; a header past it is
 * refused before anything looks at its content.
 */
const MAX_AUTHORIZATION_LENGTH = 4096;
/** header.payload.signature in base64url. One character class per part, so matching is linear. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export type Credentials =
  | { principal: Principal; problem?: undefined }
  | { principal?: undefined; problem: string }
  | { principal?: undefined; problem?: undefined };

/**
 * What a request's Authorization header proves: a principal, a problem (malformed, invalid or
 * expired), or nothing when there is no header. Linear in the header's length: a split on the
 * first space, a length cap and a shape check whose parts cannot overlap, then jwt's own parse.
 */
export function credentialsOf(codec: JwtCodec, header: string | undefined): Credentials {
  if (header === undefined || header === '') return {};
  const space = header.indexOf(' ');
  const token = header.slice(space + 1);
  if (
    header.length > MAX_AUTHORIZATION_LENGTH ||
    space < 0 ||
    header.slice(0, space).toLowerCase() !== 'bearer' ||
    !JWT_SHAPE.test(token)
  )
    return { problem: 'malformed Authorization header; expected "Bearer <token>"' };
  const principal = codec.verify(token);
  return principal ? { principal } : { problem: 'invalid or expired token' };
}

/**
 * Reads the token when there is one. A bad one is remembered, not refused: public routes
 * and login ignore a stale token, and routes that need a user answer 401 naming the problem.
 */
export function authenticate(codec: JwtCodec): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const { principal, problem } = credentialsOf(codec, req.headers.authorization);
    if (principal) req.principal = principal;
    else if (problem) req.credentialProblem = problem;
    next();
  };
}

export const requireUser: RequestHandler = (req, _res, next) => {
  caller(req);
  next();
};

export const requireAdmin: RequestHandler = (req, _res, next) => {
  if (caller(req).role !== 'admin') throw forbidden();
  next();
};

/** The caller of a route behind requireUser. */
export function caller(req: Request): Principal {
  if (!req.principal) throw unauthorized(req.credentialProblem);
  return req.principal;
}
