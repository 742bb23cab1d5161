import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { JwtCodec, Principal } from '../auth/jwt.js';
import { forbidden, unauthorized } from '../errors/domain-error.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `authenticate` when the request carried a valid bearer token. */
    principal?: Principal;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.?[A-Za-z0-9\-_.+/=]*)$/;

/** The principal of a request's bearer token; null when absent, throws 401 when bad. */
export function principalOf(codec: JwtCodec, header: string | undefined): Principal | null {
  if (header === undefined || header === '') return null;
  const match = BEARER.exec(header);
  if (!match) throw unauthorized('malformed Authorization header; expected "Bearer <token>"');
  const principal = codec.verify(match[1]!);
  if (!principal) throw unauthorized('invalid or expired token');
  return principal;
}

/** Reads the token when there is one; anonymous requests pass (routes decide). */
export function authenticate(codec: JwtCodec): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const principal = principalOf(codec, req.headers.authorization);
    if (principal) req.principal = principal;
    next();
  };
}

export const requireUser: RequestHandler = (req, _res, next) => {
  if (!req.principal) throw unauthorized();
  next();
};

export const requireAdmin: RequestHandler = (req, _res, next) => {
  if (!req.principal) throw unauthorized();
  if (req.principal.role !== 'admin') throw forbidden();
  next();
};

/** The caller of a route behind requireUser. */
export function caller(req: Request): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}
