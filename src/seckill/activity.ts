import { conflict, notFound } from '../errors/domain-error.js';
import type { Knex } from '../infra/db.js';
import type { Redis } from '../infra/redis.js';
import { formatCents, toCents } from '../money.js';
import { LoadCode } from './codes.js';
import { activityKeys, eventsChannel, registryKey } from './keys.js';
import type { ActivityRow, SeckillRepository } from './repository.js';
import { scriptsOn } from './scripts.js';
import type { AntiBot, InitInput } from './schemas.js';

const DEFAULT_LENGTH_MS = 24 * 3600 * 1000;
const STAGING_CHUNK = 1000;

export interface ActivityView {
  activity_id: number;
  product_id: number;
  price: string;
  total_stock: number;
  /** Units still for sale (Redis, the live figure). */
  remaining: number;
  limit_per_user: number;
  start_at: string;
  end_at: string;
  status: 'upcoming' | 'active' | 'ended';
  generation: number;
  /** What a buyer needs besides a login: see POST /api/seckill/:product_id/token. */
  anti_bot: AntiBot;
}

/** An init as the schema gives it; callers inside the process may leave anti_bot out (none). */
export type ActivityInit = Omit<InitInput, 'anti_bot'> & { anti_bot?: AntiBot };

export interface ResultView {
  status: 'queued' | 'success' | 'failed' | 'none';
  order_no?: string;
}

export interface ActivityServiceDeps {
  db: Knex;
  redis: Redis;
  keyPrefix: string;
  repository: SeckillRepository;
}

/** Loading activities (MySQL then Redis), showing them, and a buyer's result. */
export class ActivityService {
  constructor(private readonly deps: ActivityServiceDeps) {}

  /** Units of the activity already sold (orders not cancelled); 0 when it does not exist. */
  async sales(productId: number): Promise<number> {
    const activity = await this.deps.repository.findActivity(productId);
    return activity ? this.deps.repository.soldUnits(activity.id) : 0;
  }

  /**
   * Writes the activity to MySQL and loads it into Redis. A re-init is a new round: the
   * stock becomes `stock` units for sale (total_stock = them + units already sold), the
   * generation goes up, and the buyers' slots are rebuilt from MySQL so the per-user limit
   * still counts what each buyer already has. Refused while reservations are pending.
   */
  async init(input: ActivityInit): Promise<ActivityView> {
    const { db, redis, repository } = this.deps;
    const keys = activityKeys(this.deps.keyPrefix, input.product_id);
    const pendingError = () =>
      conflict(
        `product_id ${input.product_id}: reservations are still being turned into orders; retry once the queue drains`,
      );
    if ((await redis.hlen(keys.pending)) > 0) throw pendingError();

    const { activity, slots } = await db.transaction(async (trx) => {
      const product = await repository.findProduct(input.product_id, trx);
      if (!product) throw notFound(`product_id: no product ${input.product_id}`);
      const existing = await repository.lockActivity(trx, input.product_id);
      const sold = existing ? await repository.soldUnits(existing.id, trx) : 0;
      const start = input.start_at ?? new Date();
      const end = input.end_at ?? new Date(start.getTime() + DEFAULT_LENGTH_MS);
      const activity = await repository.saveActivity(
        trx,
        {
          product_id: input.product_id,
          price: input.price === undefined ? product.price : formatCents(input.price),
          total_stock: input.stock + sold,
          stock: input.stock,
          limit_per_user: input.limit_per_user,
          start_at: start,
          end_at: end,
          anti_bot: input.anti_bot ?? 'none',
        },
        existing,
      );
      return { activity, slots: existing ? await repository.buyerSlots(existing.id, trx) : [] };
    });

    await redis.del(keys.buyersStaging);
    for (let i = 0; i < slots.length; i += STAGING_CHUNK) {
      await redis.hset(keys.buyersStaging, Object.fromEntries(slots.slice(i, i + STAGING_CHUNK)));
    }
    const code = await loadIntoRedis(redis, this.deps.keyPrefix, activity, activity.stock);
    if (code === LoadCode.PendingReservations) throw pendingError();
    await redis.publish(eventsChannel(this.deps.keyPrefix), String(input.product_id));
    return this.view(activity, activity.stock);
  }

  async info(productId: number): Promise<ActivityView> {
    const activity = await this.deps.repository.findActivity(productId);
    if (!activity) throw notFound(`product ${productId} has no seckill activity`);
    const live = await this.deps.redis.get(activityKeys(this.deps.keyPrefix, productId).stock);
    return this.view(activity, live === null ? activity.stock : Number(live));
  }

  async result(userId: number, productId: number): Promise<ResultView> {
    const value = await this.deps.redis.hget(
      activityKeys(this.deps.keyPrefix, productId).result,
      String(userId),
    );
    if (!value) return { status: 'none' };
    const colon = value.indexOf(':');
    return {
      status: value.slice(0, colon) as ResultView['status'],
      order_no: value.slice(colon + 1),
    };
  }

  private view(activity: ActivityRow, remaining: number): ActivityView {
    const now = Date.now();
    const start = new Date(activity.start_at);
    const end = new Date(activity.end_at);
    return {
      activity_id: Number(activity.id),
      product_id: Number(activity.product_id),
      price: activity.price,
      total_stock: activity.total_stock,
      remaining,
      limit_per_user: activity.limit_per_user,
      start_at: start.toISOString(),
      end_at: end.toISOString(),
      status: now < start.getTime() ? 'upcoming' : now >= end.getTime() ? 'ended' : 'active',
      generation: activity.generation,
      anti_bot: activity.anti_bot,
    };
  }
}

/**
 * The load script with the activity's MySQL row: meta, `stock` and the staged buyers.
 * Also used by `seckill reconcile --fix` when an activity is missing from Redis.
 */
export async function loadIntoRedis(
  redis: Redis,
  keyPrefix: string,
  activity: ActivityRow,
  stock: number,
): Promise<LoadCode> {
  const keys = activityKeys(keyPrefix, Number(activity.product_id));
  const code = await scriptsOn(redis).load({
    keys,
    startMs: new Date(activity.start_at).getTime(),
    endMs: new Date(activity.end_at).getTime(),
    limitPerUser: activity.limit_per_user,
    activityId: Number(activity.id),
    productId: Number(activity.product_id),
    priceCents: toCents(activity.price)!,
    generation: activity.generation,
    stock,
    antiBot: activity.anti_bot,
  });
  if (code === LoadCode.Loaded)
    await redis.sadd(registryKey(keyPrefix), String(activity.product_id));
  return code;
}
