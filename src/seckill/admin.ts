import { notFound } from '../errors/domain-error.js';
import type { Redis } from '../infra/redis.js';
import { activityKeys } from './keys.js';
import type { ActivityRow, SeckillRepository } from './repository.js';
import { scriptsOn } from './scripts.js';

/** DESIGN §8: where an activity stands for its operator. */
export type ActivityState = 'scheduled' | 'live' | 'sold_out' | 'ended';

/** One activity as `GET /api/seckill` and `gomall seckill list` show it. */
export interface ActivitySummary {
  product_id: number;
  activity_id: number;
  price: string;
  start_at: string;
  end_at: string;
  limit_per_user: number;
  generation: number;
  total_stock: number;
  /** Units for sale now: Redis's figure, MySQL's when Redis does not hold the activity. */
  stock: number;
  /** Units in orders that are not cancelled. */
  sold: number;
  /** Reservations in the outbox, not yet order rows. */
  pending: number;
  /** Redis holds this generation of the activity (loaded by init or warmed before its start). */
  warmed: boolean;
  status: ActivityState;
}

export interface ActivityAdminDeps {
  redis: Redis;
  keyPrefix: string;
  repository: SeckillRepository;
}

/** What an operator does with activities: list them, end one now. */
export class ActivityAdmin {
  constructor(private readonly deps: ActivityAdminDeps) {}

  async list(): Promise<ActivitySummary[]> {
    const [rows, sold] = await Promise.all([
      this.deps.repository.listActivities(),
      this.deps.repository.soldUnitsByActivity(),
    ]);
    return Promise.all(rows.map((row) => this.summary(row, sold.get(Number(row.id)) ?? 0)));
  }

  /**
   * Ends the activity now: MySQL's end_at first (the record, which warming and reconcile
   * read), then the Redis window, so no buy is accepted once this returns. Ending an ended
   * activity changes nothing. 404 when the product has no activity.
   */
  async end(productId: number, now = new Date()): Promise<ActivitySummary> {
    const { repository, redis, keyPrefix } = this.deps;
    const row = await repository.endActivity(productId, now);
    if (!row) throw notFound(`product ${productId} has no seckill activity`);
    const endMs = Math.min(new Date(row.end_at).getTime(), now.getTime());
    await scriptsOn(redis).end({ keys: activityKeys(keyPrefix, productId), nowMs: endMs });
    return this.summary(row, await repository.soldUnits(row.id));
  }

  private async summary(row: ActivityRow, sold: number): Promise<ActivitySummary> {
    const keys = activityKeys(this.deps.keyPrefix, Number(row.product_id));
    const [[generation, redisStock], pending] = await Promise.all([
      Promise.all([this.deps.redis.hget(keys.meta, 'generation'), this.deps.redis.get(keys.stock)]),
      this.deps.redis.hlen(keys.pending),
    ]);
    const warmed = generation !== null && Number(generation) === row.generation;
    const stock = warmed && redisStock !== null ? Number(redisStock) : Number(row.stock);
    const start = new Date(row.start_at);
    const end = new Date(row.end_at);
    return {
      product_id: Number(row.product_id),
      activity_id: Number(row.id),
      price: row.price,
      start_at: start.toISOString(),
      end_at: end.toISOString(),
      limit_per_user: row.limit_per_user,
      generation: row.generation,
      total_stock: row.total_stock,
      stock,
      sold,
      pending,
      warmed,
      status: activityState(start.getTime(), end.getTime(), stock, Date.now()),
    };
  }
}

export function activityState(
  startMs: number,
  endMs: number,
  stock: number,
  nowMs: number,
): ActivityState {
  if (nowMs >= endMs) return 'ended';
  if (nowMs < startMs) return 'scheduled';
  return stock <= 0 ? 'sold_out' : 'live';
}
