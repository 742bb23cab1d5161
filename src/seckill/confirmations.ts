import type { Logger } from '../infra/logger.js';
import type { Redis } from '../infra/redis.js';
import { activityKeys } from './keys.js';

const FLUSH_EVERY_MS = 5;

/**
 * Records broker confirms in Redis, batched: a confirmed reservation's sweep time is pushed
 * out to `confirmed_max_age_ms`, so the sweeper leaves it to the consumer, and it stops
 * counting against the outbox limit. One ZADD XX per activity every few ms, not one per
 * order (XX: an order the consumer already cleared is not added back).
 */
export class ConfirmationLog {
  private readonly confirmed = new Map<number, string[]>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly confirmedMaxAgeMs: number,
    private readonly logger: Logger,
  ) {}

  add(productId: number, orderNos: string[]): void {
    const list = this.confirmed.get(productId);
    if (list) list.push(...orderNos);
    else this.confirmed.set(productId, [...orderNos]);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.confirmed.size === 0) return;
    const due = Date.now() + this.confirmedMaxAgeMs;
    const pipeline = this.redis.pipeline();
    for (const [productId, orderNos] of this.confirmed) {
      const args: (string | number)[] = [];
      for (const orderNo of orderNos) args.push(due, orderNo);
      pipeline.zadd(activityKeys(this.keyPrefix, productId).due, 'XX', ...args);
    }
    this.confirmed.clear();
    try {
      await pipeline.exec();
    } catch (error) {
      // The entries stay due soon: the sweeper re-publishes them, a duplicate is a no-op.
      this.logger.warn({ err: (error as Error).message }, 'seckill: recording confirms failed');
    }
  }
}
