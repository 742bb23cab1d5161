import { rateLimited } from '../errors/domain-error.js';

/** How long a client refused for a full gate is asked to wait: a hash takes well under it. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Caps the password hashes one instance has in flight (running on the thread pool or waiting
 * for a thread), so registrations and logins cannot queue unbounded CPU work, nor starve the
 * pool's other users (DNS, zlib). Past the cap the answer is 429 with Retry-After: the client
 * is asked to come back, as for any other limit.
 */
export class HashGate {
  private inFlight = 0;

  /** `capacity` is read on every call, so a reloaded config applies at once; null: no cap. */
  constructor(private readonly capacity: () => number | null) {}

  async run<T>(hash: () => Promise<T>): Promise<T> {
    const capacity = this.capacity();
    if (capacity !== null && this.inFlight >= capacity)
      throw rateLimited(RETRY_AFTER_SECONDS, 'too many requests (password hashing busy)');
    this.inFlight += 1;
    try {
      return await hash();
    } finally {
      this.inFlight -= 1;
    }
  }
}
