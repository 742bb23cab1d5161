import { Reason } from './reason.js';

/** What a refusal carries beyond its reason; each transport decides how to show it. */
export interface ErrorDetails {
  /** When the caller may try again (a rate limit). */
  retryAfterSeconds?: number;
  /** The input was refused for its size, not its content. */
  tooLarge?: boolean;
}

/**
 * An error the caller is meant to see: a reason, a message naming what was wrong, and
 * details. It knows nothing of HTTP: src/http/ maps the reason to a status and headers,
 * and a command prints the message.
 */
export class DomainError extends Error {
  override name = 'DomainError';

  constructor(
    readonly reason: Reason,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

export const invalid = (message: string) => new DomainError(Reason.ValidationError, message);
export const tooLarge = (message: string) =>
  new DomainError(Reason.ValidationError, message, { tooLarge: true });
export const unauthorized = (message = 'authentication required') =>
  new DomainError(Reason.Unauthorized, message);
export const forbidden = (message = 'admin role required') =>
  new DomainError(Reason.Forbidden, message);
export const notFound = (message = 'not found') => new DomainError(Reason.NotFound, message);
export const conflict = (message: string) => new DomainError(Reason.Conflict, message);
export const rateLimited = (retryAfterSeconds: number, message = 'too many requests') =>
  new DomainError(Reason.RateLimited, message, { retryAfterSeconds });
export const busy = (message: string) => new DomainError(Reason.Busy, message);
