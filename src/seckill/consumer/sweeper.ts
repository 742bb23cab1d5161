import type { Config } from '../../config/schema.js';
import type { Logger } from '../../infra/logger.js';
import type { Redis } from '../../infra/redis.js';
import type { OrderService } from '../../order/service.js';
import { activityKeys, registryKey } from '../keys.js';
import {
  encodeOrders,
  MAX_ORDERS_PER_MESSAGE,
  orderMessage,
  parseMessage,
  type OrderMessage,
} from '../message.js';
import type { ConfirmPublisher } from '../publisher.js';
import type { SeckillRepository } from '../repository.js';
import type { SeckillNames } from '../topology.js';
import { markDone } from './redis-steps.js';
import { expire } from './timeout-consumer.js';

const SWEEP_LIMIT = 1000;
const OVERDUE_LIMIT = 200;
/** Pages of SWEEP_LIMIT an eager pass takes per activity at most (outbox_limit is 5,000). */
const MAX_EAGER_PAGES = 50;

export interface SweepReport {
  republished: number;
  completed: number;
  expired: number;
}

/**
 * The outbox's other half (docs/SECKILL.md, Sweeper). Every sweeper_interval_ms, for each activity: the
 * reservations due in the `due` set (never confirmed within pending_max_age_ms, or
 * confirmed but still without an order after confirmed_max_age_ms) are checked against
 * MySQL: an existing order only needs its pending record cleared (a consumer died between
 * commit and cleanup); a missing one is published again from the outbox (a duplicate is a
 * no-op for the consumer). It also cancels unpaid orders whose timeout message was lost.
 * Several consumers may sweep at once: each pushes an entry's due time out before
 * publishing it, so they rarely overlap, and an overlap only duplicates a message.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private kicked = false;
  private stopped = false;

  constructor(
    private readonly deps: {
      config: Config;
      redis: Redis;
      repository: SeckillRepository;
      publisher: ConfirmPublisher;
      names: SeckillNames;
      orders: OrderService;
      logger: Logger;
    },
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.run(), this.deps.config.seckill.sweeper_interval_ms);
  }

  /**
   * Sweeps now, not at the next pass, and takes every reservation not yet confirmed (not only
   * those overdue): called when the broker connection comes back, so what the outbox held
   * while RabbitMQ was away is published within a moment of the reconnect. A kick during a
   * sweep runs once that sweep ends.
   */
  kick(): void {
    this.kicked = true;
    this.run();
  }

  private run(): void {
    if (this.running || this.stopped) return;
    const eager = this.kicked;
    this.kicked = false;
    this.running = this.sweep({ eager })
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'seckill sweep failed'))
      .finally(() => {
        this.running = null;
        if (this.kicked) this.run();
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * One pass over every activity. `eager` (after a broker reconnect) also takes the
   * reservations not yet due: every unconfirmed one (due within pending_max_age_ms).
   */
  async sweep(options: { eager?: boolean } = {}): Promise<SweepReport> {
    const report: SweepReport = { republished: 0, completed: 0, expired: 0 };
    const prefix = this.deps.config.redis.key_prefix;
    const horizon = Date.now() + (options.eager ? this.deps.config.seckill.pending_max_age_ms : 0);
    for (const productId of (await this.deps.redis.smembers(registryKey(prefix))).map(Number)) {
      // An eager pass empties what the outbox parked, a page at a time (a republished entry
      // moves past the horizon); a regular pass takes one page per activity.
      for (let page = 0; page < (options.eager ? MAX_EAGER_PAGES : 1); page++) {
        const { republished, completed, taken } = await this.sweepActivity(productId, horizon);
        report.republished += republished;
        report.completed += completed;
        if (taken < SWEEP_LIMIT) break;
      }
    }
    // Seckill and normal orders alike: unpaid past their deadline, their timeout message lost.
    for (const orderNo of await this.deps.orders.overdue(
      this.deps.config.seckill.pending_max_age_ms,
      OVERDUE_LIMIT,
    )) {
      if ((await expire(this.deps.orders, orderNo)) === 'cancelled') report.expired++;
    }
    if (report.republished + report.completed + report.expired > 0)
      this.deps.logger.info({ ...report, eager: options.eager === true }, 'seckill sweep');
    return report;
  }

  private async sweepActivity(
    productId: number,
    horizon: number,
  ): Promise<{ republished: number; completed: number; taken: number }> {
    const { redis, config, names, publisher } = this.deps;
    const keys = activityKeys(config.redis.key_prefix, productId);
    const now = Date.now();
    const due = await redis.zrangebyscore(keys.due, '-inf', horizon, 'LIMIT', 0, SWEEP_LIMIT);
    const taken = due.length;
    if (taken === 0) return { republished: 0, completed: 0, taken };
    const bodies = await redis.hmget(keys.pending, ...due);
    const messages: OrderMessage[] = [];
    const orphans: string[] = [];
    const bodyOf = new Map<string, string>();
    due.forEach((orderNo, i) => {
      const body = bodies[i];
      if (body) bodyOf.set(orderNo, body);
      const message = body ? parseMessage(orderMessage, Buffer.from(body)) : null;
      if (message) messages.push(message);
      else orphans.push(orderNo);
    });
    if (orphans.length > 0) await redis.zrem(keys.due, ...orphans);
    const existing = await this.deps.repository.existingOrderNos(messages.map((m) => m.order_no));
    const done = messages.filter((m) => existing.has(m.order_no));
    if (done.length > 0) await markDone(redis, config.redis.key_prefix, done);
    const missing = messages.filter((m) => !existing.has(m.order_no));
    if (missing.length === 0) return { republished: 0, completed: done.length, taken };

    // Past an eager pass's horizon too (now >= the horizon's start), so its next page moves on.
    const retryAt = Math.max(now, horizon) + config.seckill.pending_max_age_ms;
    await redis.zadd(keys.due, 'XX', ...missing.flatMap((m) => [retryAt, m.order_no]));
    const chunks: OrderMessage[][] = [];
    for (let i = 0; i < missing.length; i += MAX_ORDERS_PER_MESSAGE) {
      chunks.push(missing.slice(i, i + MAX_ORDERS_PER_MESSAGE));
    }
    const results = await Promise.allSettled(
      chunks.map((chunk) =>
        publisher.publish(
          names.exchange,
          names.orderKey,
          encodeOrders(chunk.map((m) => bodyOf.get(m.order_no)!)),
        ),
      ),
    );
    const confirmed = chunks.filter((_, i) => results[i]!.status === 'fulfilled').flat();
    if (confirmed.length > 0) {
      const later = Date.now() + config.seckill.confirmed_max_age_ms;
      await redis.zadd(keys.due, 'XX', ...confirmed.flatMap((m) => [later, m.order_no]));
    }
    return { republished: confirmed.length, completed: done.length, taken };
  }
}
