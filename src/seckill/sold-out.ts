import type { Logger } from '../infra/logger.js';
import { PATIENT, type Redis } from '../infra/redis.js';
import { eventsChannel } from './keys.js';

/**
 * Per-instance memory of activities found sold out, so the flood after the last unit is
 * answered without a Redis round trip. A flag lives `ttlMs` at most (a cancel can give a
 * unit back), and is dropped at once on every instance when the activity's stock comes
 * back (re-init, give-back): those publish the product id on a Redis pub/sub channel.
 */
export class SoldOutFlags {
  private readonly until = new Map<number, number>();

  constructor(private readonly ttlMs: number) {}

  has(productId: number): boolean {
    const until = this.until.get(productId);
    if (until === undefined) return false;
    if (Date.now() < until) return true;
    this.until.delete(productId);
    return false;
  }

  mark(productId: number): void {
    if (this.ttlMs > 0) this.until.set(productId, Date.now() + this.ttlMs);
  }

  clear(productId: number): void {
    this.until.delete(productId);
  }
}

/** Subscribes `flags` to stock-back events on a connection of its own; returns the closer. */
export async function listenForRestock(
  redis: Redis,
  keyPrefix: string,
  flags: SoldOutFlags,
  logger: Logger,
): Promise<() => Promise<void>> {
  // Waits for Redis (the subscription is resent on reconnect), whatever its parent does.
  const subscriber = redis.duplicate(PATIENT);
  subscriber.on('error', (error: Error) =>
    logger.warn({ err: error.message }, 'seckill events subscriber error'),
  );
  const channel = eventsChannel(keyPrefix);
  subscriber.on('message', (from: string, message: string) => {
    if (from === channel) flags.clear(Number(message));
  });
  await subscriber.subscribe(channel);
  return async () => {
    subscriber.disconnect();
  };
}
