/** Machine-readable reasons of DESIGN §2, carried in the envelope's `reason`. */
export enum Reason {
  ValidationError = 'VALIDATION_ERROR',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  SoldOut = 'SOLD_OUT',
  AlreadyPurchased = 'ALREADY_PURCHASED',
  NotStarted = 'NOT_STARTED',
  Ended = 'ENDED',
  RateLimited = 'RATE_LIMITED',
  Busy = 'BUSY',
  Internal = 'INTERNAL',
}

/** An error the client is meant to see: the status, reason and message go out as they are. */
export class AppError extends Error {
  override name = 'AppError';

  constructor(
    readonly status: number,
    readonly reason: Reason,
    message: string,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new AppError(400, Reason.ValidationError, message);
export const unauthorized = (message = 'authentication required') =>
  new AppError(401, Reason.Unauthorized, message);
export const forbidden = (message = 'admin role required') =>
  new AppError(403, Reason.Forbidden, message);
export const notFound = (message = 'not found') => new AppError(404, Reason.NotFound, message);
export const conflict = (message: string) => new AppError(409, Reason.Conflict, message);
export const tooManyRequests = (retryAfterSeconds: number, message = 'too many requests') =>
  new AppError(429, Reason.RateLimited, message, {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });
