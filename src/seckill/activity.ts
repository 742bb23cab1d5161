import { conflict, notFound } from '../errors/domain-error.js';
import type { Knex } from '../infra/db.js';
import { pausePoint } from '../infra/pause-point.js';
import type { Redis } from '../infra/redis.js';
import { formatCents, toCents } from '../money.js';
import { FenceCode, LoadCode } from './codes.js';
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
   *
   * Crash-safe (DESIGN §3, issue 11 item 6): inside the MySQL transaction, with the row
   * locked, Redis is fenced first (seckillFence: no reservation is pending, and none is
   * taken from then on: 503 BUSY); then MySQL commits the new round; then the load replaces
   * the meta and stock, which lifts the fence. A crash before the commit leaves MySQL on the
   * old round and Redis fenced; a crash after it leaves MySQL on the new round and Redis
   * fenced; in neither case does Redis sell stock MySQL does not have, and the next init or
   * `seckill reconcile --fix` (which reloads a fenced activity from MySQL) heals it. The
   * generation is above every one MySQL or Redis has seen, and a load never goes back to an
   * older one, so a slow init cannot overwrite a later one.
   */
  async init(input: ActivityInit): Promise<ActivityView> {
    const { db, redis, repository } = this.deps;
    const keys = activityKeys(this.deps.keyPrefix, input.product_id);
    const scripts = scriptsOn(redis);
    const pendingError = () =>
      conflict(
        `product_id ${input.product_id}: reservations are still being turned into orders; retry once the queue drains`,
      );
    if ((await redis.hlen(keys.pending)) > 0) throw pendingError();

    let fenced: number | undefined;
    let saved: { activity: ActivityRow; slots: Array<[number, number]> };
    try {
      saved = await db.transaction(async (trx) => {
        const product = await repository.findProduct(input.product_id, trx);
        if (!product) throw notFound(`product_id: no product ${input.product_id}`);
        const existing = await repository.lockActivity(trx, input.product_id);
        const sold = existing ? await repository.soldUnits(existing.id, trx) : 0;
        const start = input.start_at ?? new Date();
        const end = input.end_at ?? new Date(start.getTime() + DEFAULT_LENGTH_MS);
        const [redisGeneration, redisLoading] = await redis.hmget(
          keys.meta,
          'generation',
          'loading',
        );
        const generation =
          Math.max(
            existing?.generation ?? 0,
            Number(redisGeneration ?? 0),
            Number(redisLoading ?? 0),
          ) + 1;
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
          generation,
          existing,
        );
        const slots = existing ? await repository.buyerSlots(existing.id, trx) : [];
        const fence = await scripts.fence({ keys, generation, hold: true });
        if (fence === FenceCode.PendingReservations) throw pendingError();
        fenced = generation;
        await pausePoint('seckill-init-fenced');
        return { activity, slots };
      });
    } catch (error) {
      if (fenced !== undefined) await this.unfence(input.product_id, fenced);
      throw error;
    }
    await pausePoint('seckill-init-committed');

    const { activity, slots } = saved;
    await stageBuyers(redis, keys.buyersStaging, slots);
    const code = await loadIntoRedis(redis, this.deps.keyPrefix, activity, activity.stock);
    if (code === LoadCode.PendingReservations) throw pendingError();
    if (code === LoadCode.Stale)
      throw conflict(
        `product_id ${input.product_id}: a later init took over while this one was loading`,
      );
    await redis.publish(eventsChannel(this.deps.keyPrefix), String(input.product_id));
    return this.view(activity, activity.stock);
  }

  /**
   * The transaction failed after the fence was set. When MySQL did not take the new round,
   * the old one is still right in Redis and only the fence goes; when it did (the commit's
   * answer was lost) or MySQL cannot tell, the fence stays for reconcile or the next init.
   */
  private async unfence(productId: number, generation: number): Promise<void> {
    const keys = activityKeys(this.deps.keyPrefix, productId);
    try {
      const row = await this.deps.repository.findActivity(productId);
      if (row?.generation === generation) return;
      await scriptsOn(this.deps.redis).fence({ keys, generation, hold: false });
    } catch {
      return;
    }
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

/** Writes the buyers' slots (from MySQL) into a staging hash the load script renames over `buyers`. */
export async function stageBuyers(
  redis: Redis,
  stagingKey: string,
  slots: Array<[userId: number, slot: number]>,
): Promise<void> {
  await redis.del(stagingKey);
  for (let i = 0; i < slots.length; i += STAGING_CHUNK) {
    await redis.hset(stagingKey, Object.fromEntries(slots.slice(i, i + STAGING_CHUNK)));
  }
}

/**
 * The load script with the activity's MySQL row: meta, `stock` and the staged buyers.
 * Also used by `seckill reconcile --fix` (with `force`: MySQL is the record) when an
 * activity is missing from Redis or a re-init left it fenced.
 */
export async function loadIntoRedis(
  redis: Redis,
  keyPrefix: string,
  activity: ActivityRow,
  stock: number,
  options: { stagingKey?: string; onlyIfMissing?: boolean; force?: boolean } = {},
): Promise<LoadCode> {
  const base = activityKeys(keyPrefix, Number(activity.product_id));
  const keys = options.stagingKey ? { ...base, buyersStaging: options.stagingKey } : base;
  const code = await scriptsOn(redis).load({
    keys,
    onlyIfMissing: options.onlyIfMissing === true,
    startMs: new Date(activity.start_at).getTime(),
    endMs: new Date(activity.end_at).getTime(),
    limitPerUser: activity.limit_per_user,
    activityId: Number(activity.id),
    productId: Number(activity.product_id),
    priceCents: toCents(activity.price)!,
    generation: activity.generation,
    stock,
    antiBot: activity.anti_bot,
    force: options.force === true,
  });
  if (code === LoadCode.Loaded)
    await redis.sadd(registryKey(keyPrefix), String(activity.product_id));
  return code;
}
