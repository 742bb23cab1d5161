import { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';

export { Redis };

export interface RedisOptions {
  /**
   * Fail commands at once while Redis is unreachable instead of holding them (the server's
   * request paths): no offline queue, commands in flight rejected when the connection drops
   * (never resent), and a reply not back within FAIL_FAST_TIMEOUT_MS is an error.
   */
  failFast?: boolean;
}

/** How long a fail-fast client waits for one reply (a Redis that hangs rather than refuses). */
export const FAIL_FAST_TIMEOUT_MS = 1000;

/**
 * ioredis holds a command issued while it reconnects in its offline queue until the
 * connection is back, and retries one in flight `maxRetriesPerRequest` reconnects later:
 * with Redis down, a request waited seconds. A fail-fast client turns both into an error
 * at once (`enableOfflineQueue: false` rejects while not connected; `maxRetriesPerRequest:
 * 0` flushes the commands in flight on the first close), so the server answers 503 BUSY.
 */
export const FAIL_FAST = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: FAIL_FAST_TIMEOUT_MS,
} as const;

/** The hot path's: FAIL_FAST, with the reply timeout kept by the caller (withinReplyTimeout). */
export const FAIL_FAST_UNTIMED = { ...FAIL_FAST, commandTimeout: undefined } as const;

/** The options a connection that must wait for Redis (pub/sub, the consumer) goes back to. */
export const PATIENT = {
  enableOfflineQueue: true,
  maxRetriesPerRequest: 3,
  commandTimeout: undefined,
} as const;

export function createRedis(redis: Config['redis'], options: RedisOptions = {}): Redis {
  return new Redis({
    host: redis.host,
    port: redis.port,
    password: redis.password || undefined,
    db: redis.db,
    lazyConnect: false,
    ...(options.failFast ? FAIL_FAST : PATIENT),
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

/** Waits for a client's first 'ready' (a fail-fast client refuses commands before it). */
export function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`redis: not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}

/**
 * `work` (a command's reply), or 'Command timed out' after `ms`. Unlike ioredis's
 * `commandTimeout`, a reply that arrived while the event loop was stalled is not mistaken
 * for a timeout: a stalled loop runs due timers before it reads its sockets, so the timer
 * looks once more after this turn's I/O (setImmediate) before giving up. For writes whose
 * timeout the caller answers as "not done" (a reservation answered 503 must not exist).
 */
export function withinReplyTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done();
    };
    const timer = setTimeout(
      () => setImmediate(() => settle(() => reject(new Error('Command timed out')))),
      ms,
    );
    work.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error as Error)),
    );
  });
}

const UNAVAILABLE = [
  "Stream isn't writeable",
  'Connection is closed',
  'Command timed out',
  'Reached the max retries per request limit',
];

/** An error that means Redis could not be reached (not a script or data error). */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  return UNAVAILABLE.some((text) => error.message.startsWith(text));
}
