import { randomUUID } from 'node:crypto';
import type { Logger } from '../infra/logger.js';
import type { Redis } from '../infra/redis.js';
import { loadIntoRedis, stageBuyers } from './activity.js';
import { LoadCode } from './codes.js';
import { activityKeys, eventsChannel } from './keys.js';
import type { ActivityRow, SeckillRepository } from './repository.js';

/** A warmer's own staging hash outlives a crash mid-load by this much at most. */
const STAGING_TTL_MS = 60_000;

export interface WarmerDeps {
  redis: Redis;
  keyPrefix: string;
  repository: SeckillRepository;
  logger: Logger;
  /** How often to look; 0: never (warmOnce still works). */
  intervalMs: number;
}

/**
 * Warming (DESIGN §8): every `intervalMs`, each activity whose window has not opened yet and
 * whose current generation Redis does not hold is loaded from MySQL (stock, window, buyers'
 * slots), so it sells at its start_at without anyone running init again. No leader: every
 * consumer warms; the load script itself refuses when Redis already holds the generation,
 * and each load stages buyers under a key of its own, so concurrent warmers (or a warmer and
 * an init) never mix their work. Only scheduled activities: a live one missing from Redis may
 * still have orders in the queue, and is rebuilt by `seckill reconcile --fix` once it drained.
 */
export class Warmer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly deps: WarmerDeps) {}

  start(): void {
    if (this.deps.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.warmOnce()
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'seckill warming failed'))
        .finally(() => (this.running = null));
    }, this.deps.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One look; returns the product ids loaded by this call. */
  async warmOnce(now = new Date()): Promise<number[]> {
    const loaded: number[] = [];
    for (const activity of await this.deps.repository.scheduledActivities(now)) {
      if (await this.isWarm(activity)) continue;
      if (await this.warm(activity)) loaded.push(Number(activity.product_id));
    }
    return loaded;
  }

  private async isWarm(activity: ActivityRow): Promise<boolean> {
    const keys = activityKeys(this.deps.keyPrefix, Number(activity.product_id));
    const generation = await this.deps.redis.hget(keys.meta, 'generation');
    return generation !== null && Number(generation) >= activity.generation;
  }

  private async warm(activity: ActivityRow): Promise<boolean> {
    const { redis, keyPrefix, repository, logger } = this.deps;
    const productId = Number(activity.product_id);
    const staging = `${activityKeys(keyPrefix, productId).buyersStaging}:${randomUUID()}`;
    await stageBuyers(redis, staging, await repository.buyerSlots(activity.id));
    await redis.pexpire(staging, STAGING_TTL_MS);
    const code = await loadIntoRedis(redis, keyPrefix, activity, activity.stock, {
      stagingKey: staging,
      onlyIfMissing: true,
    });
    await redis.del(staging);
    if (code !== LoadCode.Loaded) return false;
    await redis.publish(eventsChannel(keyPrefix), String(productId));
    logger.info(
      { productId, generation: activity.generation, stock: activity.stock },
      'seckill activity warmed',
    );
    return true;
  }
}
