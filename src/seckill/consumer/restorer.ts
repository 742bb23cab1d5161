import type { ConfirmChannel } from 'amqplib';
import type { Config } from '../../config/schema.js';
import type { Logger } from '../../infra/logger.js';
import type { Redis } from '../../infra/redis.js';
import { loadIntoRedis } from '../activity.js';
import { LoadCode } from '../codes.js';
import { activityKeys } from '../keys.js';
import type { SeckillMetrics } from '../metrics.js';
import type { ActivityRow, SeckillRepository } from '../repository.js';
import type { SeckillNames } from '../topology.js';

const CHECK_MS = 1000;
/** Consecutive checks that must find the queue and the outbox empty before a rebuild. */
const QUIET_CHECKS = 3;
const LOCK_SECONDS = 30;

/**
 * Redis restarted empty (or lost an activity some other way): the activity's keys are gone
 * while MySQL has it open. The hot path then answers 503 BUSY (KnownActivities) and sells
 * nothing; the consumer goes on turning the queued reservations into orders (recovered from
 * their messages, docs/SECKILL.md, Consumer). This notices the loss (error log line and
 * `seckill_activities_lost_total`), waits until the orders queue and the activity's outbox
 * have been empty for QUIET_CHECKS checks in a row, then rebuilds the activity from MySQL
 * (stock = total_stock - sold, buyers' slots from their orders), so no unit is sold twice,
 * and sales resume (`seckill_activities_rebuilt_total`). One consumer rebuilds at a time (a
 * Redis lock per activity), and only while the activity is still missing.
 */
export class ActivityRestorer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Lost activities by product id: how many checks in a row found everything drained. */
  private readonly lost = new Map<number, number>();

  constructor(
    private readonly deps: {
      config: Config;
      redis: Redis;
      repository: SeckillRepository;
      names: SeckillNames;
      channel: () => ConfirmChannel | null;
      metrics: SeckillMetrics;
      logger: Logger;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.check()
        .catch((error: unknown) =>
          this.deps.logger.debug({ err: error }, 'seckill restore check failed'),
        )
        .finally(() => (this.running = null));
    }, CHECK_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async check(): Promise<void> {
    const { redis, repository, config, logger, metrics } = this.deps;
    const now = Date.now();
    const open = (await repository.listActivities()).filter(
      (row) => new Date(row.end_at).getTime() > now,
    );
    const prefix = config.redis.key_prefix;
    const present = await Promise.all(
      open.map((row) => redis.exists(activityKeys(prefix, Number(row.product_id)).meta)),
    );
    const missing = open.filter((_, i) => present[i] === 0);
    for (const productId of this.lost.keys())
      if (!missing.some((row) => Number(row.product_id) === productId)) this.lost.delete(productId);
    for (const row of missing) {
      const productId = Number(row.product_id);
      if (this.lost.has(productId)) continue;
      this.lost.set(productId, 0);
      metrics.activitiesLost.inc();
      logger.error(
        { product_id: productId, activity_id: Number(row.id) },
        'seckill activity missing from Redis (Redis lost its data?): its buyers get 503 BUSY until it is rebuilt from MySQL, once the order queue has drained',
      );
    }
    if (missing.length === 0) return;
    const queueEmpty = await this.queueEmpty();
    for (const row of missing) {
      const productId = Number(row.product_id);
      const quiet = queueEmpty && (await redis.hlen(activityKeys(prefix, productId).pending)) === 0;
      const checks = quiet ? this.lost.get(productId)! + 1 : 0;
      this.lost.set(productId, checks);
      if (checks >= QUIET_CHECKS && (await this.rebuild(row))) this.lost.delete(productId);
    }
  }

  private async queueEmpty(): Promise<boolean> {
    const channel = this.deps.channel();
    if (!channel) return false;
    try {
      return (await channel.checkQueue(this.deps.names.orders)).messageCount === 0;
    } catch {
      return false;
    }
  }

  /** Loads the activity from MySQL, unless it is back already or another consumer is on it. */
  private async rebuild(row: ActivityRow): Promise<boolean> {
    const { redis, repository, config, logger, metrics } = this.deps;
    const productId = Number(row.product_id);
    const keys = activityKeys(config.redis.key_prefix, productId);
    const lock = `${keys.meta}:rebuilding`;
    if ((await redis.set(lock, String(process.pid), 'EX', LOCK_SECONDS, 'NX')) !== 'OK')
      return false;
    try {
      if ((await redis.exists(keys.meta)) === 1) return true;
      const fresh = await repository.findActivity(productId);
      if (!fresh) return true;
      const sold = await repository.soldUnits(fresh.id);
      const stock = fresh.total_stock - sold;
      await redis.del(keys.buyersStaging);
      const slots = await repository.buyerSlots(fresh.id);
      if (slots.length > 0) await redis.hset(keys.buyersStaging, Object.fromEntries(slots));
      const code = await loadIntoRedis(redis, config.redis.key_prefix, fresh, stock);
      if (code !== LoadCode.Loaded) return false;
      metrics.activitiesRebuilt.inc();
      logger.warn(
        { product_id: productId, stock, sold, buyers: slots.length },
        'seckill activity rebuilt in Redis from MySQL; sales resume',
      );
      return true;
    } finally {
      await redis.del(lock);
    }
  }
}
