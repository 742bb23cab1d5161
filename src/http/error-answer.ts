import type { DomainError, ErrorDetails } from '../errors/domain-error.js';
import { Reason } from '../errors/reason.js';
import { errorEnvelope, type Envelope } from './envelope.js';

/** The HTTP status of each reason (docs/API.md, The envelope). */
const STATUS: Record<Reason, number> = {
  [Reason.ValidationError]: 400,
  [Reason.Unauthorized]: 401,
  [Reason.Forbidden]: 403,
  [Reason.BadToken]: 403,
  [Reason.NotFound]: 404,
  [Reason.Conflict]: 409,
  [Reason.SoldOut]: 409,
  [Reason.AlreadyPurchased]: 409,
  [Reason.NotStarted]: 409,
  [Reason.Ended]: 409,
  [Reason.RateLimited]: 429,
  [Reason.Internal]: 500,
  [Reason.Busy]: 503,
};

/** A refusal's status: its reason's, except input refused for its size (413). */
export function statusOf(reason: Reason, details: ErrorDetails = {}): number {
  return details.tooLarge ? 413 : STATUS[reason];
}

export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: Envelope<null>;
}

/** How a DomainError goes out over HTTP: its status, headers (Retry-After) and envelope. */
export function answerOf(error: DomainError): ErrorAnswer {
  const status = statusOf(error.reason, error.details);
  const retryAfter = error.details.retryAfterSeconds;
  return {
    status,
    headers:
      retryAfter === undefined ? {} : { 'Retry-After': String(Math.max(1, Math.ceil(retryAfter))) },
    body: errorEnvelope(status, error.reason, error.message),
  };
}
