/**
 * Why a request was refused: the machine-readable reasons of docs/API.md, carried in the
 * envelope's `reason`. The domain throws them; src/http/ decides which status each one is.
 */
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
  BadToken = 'BAD_TOKEN',
  RateLimited = 'RATE_LIMITED',
  Busy = 'BUSY',
  Internal = 'INTERNAL',
}
