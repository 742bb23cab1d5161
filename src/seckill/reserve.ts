import type { Config } from '../config/schema.js';
import { busy as busyError, DomainError } from '../errors/domain-error.js';
import type { Logger } from '../infra/logger.js';
import { FAIL_FAST_TIMEOUT_MS, withinReplyTimeout, type Redis } from '../infra/redis.js';
import { newOrderNo } from '../order/order-no.js';
import { REFUSALS, ReserveCode } from './codes.js';
import { activityKeys, type ActivityKeys } from './keys.js';
import type { SeckillMetrics } from './metrics.js';
import { scriptsOn, type ReserveReply, type SeckillScripts } from './scripts.js';
import type { SeckillLimiter } from '../ratelimit/seckill-limiter.js';
import type { OrderStream } from './order-stream.js';
import type { SoldOutFlags } from './sold-out.js';
import type { KnownActivities } from './known-activities.js';

export interface ReserveRequest {
  userId: number;
  productId: number;
  quantity: number;
  /** The client's address, for ratelimit.seckill_ip. */
  address: string;
  idempotencyKey?: string;
  /** The nonce of a verified anti-bot token (X-Seckill-Token), if the request had one. */
  tokenNonce?: string;
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
  /** Activities MySQL has open: "no activity" from Redis for one of them is 503 BUSY, not 404. */
  known?: KnownActivities;
}

const refusals = new Map(
  Object.entries(REFUSALS).map(([code, r]) => [Number(code), new DomainError(r.reason, r.message)]),
);
const busy = busyError('busy: the reservation store is unavailable; try again shortly');
const restoring = busyError('busy: the sale is being restored; try again shortly');
const KEY_CACHE_LIMIT = 10_000;

/**
 * The reservation (docs/SECKILL.md, Outbox, confirms, 202). One Lua call reserves and writes the outbox record
 * atomically, so once it returns the sale cannot be lost: the 202 goes out at once, the
 * publish (OrderStream) is confirmed in the background (confirms tracked in a window), and
 * a publish that is refused or never confirmed is re-sent by the sweeper from the outbox. When the
 * outbox is already holding too many unconfirmed reservations (the broker is away), the
 * script refuses before reserving and the answer is 503 BUSY with nothing changed.
 */
export class Reserver {
  private readonly keyCache = new Map<number, ActivityKeys>();
  private readonly scripts: SeckillScripts;

  constructor(private readonly deps: ReserverDeps) {
    this.scripts = scriptsOn(deps.redis);
  }

  /**
   * The per-instance sold-out flag: answers SOLD_OUT without a Redis round trip. Not for a
   * request with an Idempotency-Key: the script looks the key up first, so a retry of an
   * accepted request gets its 202 and order_no again after the sale sold out.
   */
  refuseIfSoldOut(productId: number, idempotencyKey?: string): void {
    if (idempotencyKey !== undefined || !this.deps.soldOut.has(productId)) return;
    this.deps.metrics.attempts.inc({ result: 'sold_out' });
    throw refusals.get(ReserveCode.SoldOut)!;
  }

  async reserve(request: ReserveRequest): Promise<Reservation> {
    const { config, metrics } = this.deps;
    const keys = this.keysOf(request.productId);
    const orderNo = newOrderNo();
    let reply: ReserveReply;
    try {
      const [rate, burst] = this.deps.limiter.bucket();
      const [addressRate, addressBurst] = this.deps.limiter.addressBucket();
      reply = await withinReplyTimeout(
        this.scripts.reserve({
          keys,
          userId: request.userId,
          orderNo,
          quantity: request.quantity,
          nowMs: Date.now(),
          outboxLimit: config.seckill.outbox_limit,
          pendingMaxAgeMs: config.seckill.pending_max_age_ms,
          ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
          idempotencyTtlSeconds: config.seckill.idempotency_ttl_seconds,
          bucketRate: rate,
          bucketBurst: burst,
          address: request.address,
          addressRate,
          addressBurst,
          ...(request.tokenNonce ? { tokenNonce: request.tokenNonce } : {}),
          tokenTtlSeconds: config.seckill.token_ttl_seconds,
        }),
        FAIL_FAST_TIMEOUT_MS,
      );
    } catch (error) {
      this.deps.logger.error({ err: error }, 'seckill reserve failed in Redis');
      metrics.attempts.inc({ result: 'error' });
      throw busy;
    }
    switch (reply.code) {
      case ReserveCode.Reserved:
        this.deps.orders.add(request.productId, orderNo, reply.message);
        metrics.attempts.inc({ result: 'queued' });
        return { status: 'queued', order_no: orderNo };
      case ReserveCode.Replayed:
        metrics.attempts.inc({ result: 'replayed' });
        return { status: 'queued', order_no: reply.orderNo };
      case ReserveCode.RateLimited:
        metrics.attempts.inc({ result: 'rate_limited' });
        throw this.deps.limiter.refuse(reply.retryMs);
    }
    if (reply.code === ReserveCode.NoActivity) {
      this.keyCache.delete(request.productId);
      // MySQL has it open, Redis does not: Redis lost it; the consumer rebuilds it.
      if (await this.deps.known?.has(request.productId).catch(() => false)) {
        metrics.attempts.inc({ result: 'not_loaded' });
        throw restoring;
      }
    }
    if (reply.code === ReserveCode.SoldOut) this.deps.soldOut.mark(request.productId);
    const refusal = REFUSALS[reply.code];
    metrics.attempts.inc({ result: refusal?.label ?? 'error' });
    throw refusals.get(reply.code) ?? busy;
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
