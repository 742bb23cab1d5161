import type { Config } from '../config/schema.js';
import { busy as busyError, DomainError } from '../errors/domain-error.js';
import type { Logger } from '../infra/logger.js';
import { runScript, type Redis } from '../infra/redis.js';
import { newOrderNo } from '../order/order-no.js';
import { REFUSALS, ReserveCode } from './codes.js';
import { activityKeys, type ActivityKeys } from './keys.js';
import type { SeckillMetrics } from './metrics.js';
import type { SeckillLimiter } from '../ratelimit/seckill-limiter.js';
import type { OrderStream } from './order-stream.js';
import type { SoldOutFlags } from './sold-out.js';

export interface ReserveRequest {
  userId: number;
  productId: number;
  quantity: number;
  idempotencyKey?: string;
}

export interface Reservation {
  status: 'queued';
  order_no: string;
}

export interface ReserverDeps {
  config: Config;
  redis: Redis;
  orders: OrderStream;
  soldOut: SoldOutFlags;
  limiter: SeckillLimiter;
  metrics: SeckillMetrics;
  logger: Logger;
}

const refusals = new Map(
  Object.entries(REFUSALS).map(([code, r]) => [Number(code), new DomainError(r.reason, r.message)]),
);
const busy = busyError('busy: the reservation store is unavailable; try again shortly');
const KEY_CACHE_LIMIT = 10_000;

/**
 * The reservation (DESIGN §3.2-3.3). One Lua call reserves and writes the outbox record
 * atomically, so once it returns the sale cannot be lost: the 202 goes out at once, the
 * publish (OrderStream) is confirmed in the background (confirms tracked in a window), and
 * a publish that is refused or never confirmed is re-sent by the sweeper from the outbox. When the
 * outbox is already holding too many unconfirmed reservations (the broker is away), the
 * script refuses before reserving and the answer is 503 BUSY with nothing changed.
 */
export class Reserver {
  private readonly keyCache = new Map<number, ActivityKeys>();

  constructor(private readonly deps: ReserverDeps) {}

  /** The per-instance sold-out flag: answers SOLD_OUT without a Redis round trip. */
  refuseIfSoldOut(productId: number): void {
    if (!this.deps.soldOut.has(productId)) return;
    this.deps.metrics.attempts.inc({ result: 'sold_out' });
    throw refusals.get(ReserveCode.SoldOut)!;
  }

  async reserve(request: ReserveRequest): Promise<Reservation> {
    const { config, metrics } = this.deps;
    const keys = this.keysOf(request.productId);
    const orderNo = newOrderNo();
    let reply: [number, string | number | undefined];
    try {
      reply = await runScript<[number, string | number | undefined]>(
        this.deps.redis,
        'seckillReserve',
        [
          keys.meta,
          keys.stock,
          keys.buyers,
          keys.pending,
          keys.due,
          keys.result,
          keys.idempotency(request.userId, request.idempotencyKey ?? '-'),
          keys.bucket(request.userId),
        ],
        [
          request.userId,
          orderNo,
          request.quantity,
          Date.now(),
          config.seckill.outbox_limit,
          config.seckill.pending_max_age_ms,
          request.idempotencyKey ? config.seckill.idempotency_ttl_seconds : 0,
          ...this.deps.limiter.bucket(),
        ],
      );
    } catch (error) {
      this.deps.logger.error({ err: error }, 'seckill reserve failed in Redis');
      metrics.attempts.inc({ result: 'error' });
      throw busy;
    }
    const [code, value] = reply;
    if (code === ReserveCode.Reserved) {
      this.deps.orders.add(request.productId, orderNo, value as string);
      metrics.attempts.inc({ result: 'queued' });
      return { status: 'queued', order_no: orderNo };
    }
    if (code === ReserveCode.Replayed) {
      metrics.attempts.inc({ result: 'replayed' });
      return { status: 'queued', order_no: value as string };
    }
    if (code === ReserveCode.RateLimited) {
      metrics.attempts.inc({ result: 'rate_limited' });
      throw this.deps.limiter.refuse(value as number);
    }
    if (code === ReserveCode.NoActivity) this.keyCache.delete(request.productId);
    if (code === ReserveCode.SoldOut) this.deps.soldOut.mark(request.productId);
    const refusal = REFUSALS[code as keyof typeof REFUSALS];
    metrics.attempts.inc({ result: refusal?.label ?? 'error' });
    throw refusals.get(code) ?? busy;
  }

  private keysOf(productId: number): ActivityKeys {
    let keys = this.keyCache.get(productId);
    if (!keys) {
      keys = activityKeys(this.deps.config.redis.key_prefix, productId);
      if (this.keyCache.size < KEY_CACHE_LIMIT) this.keyCache.set(productId, keys);
    }
    return keys;
  }
}
