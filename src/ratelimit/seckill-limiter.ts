import type { Config } from '../config/schema.js';
import { rateLimited, type DomainError } from '../errors/domain-error.js';
import type { Metrics } from '../infra/metrics.js';

/**
 * The per-user limit of POST /api/seckill (docs/API.md, Rate limits: 5/s, burst 10), shared by every
 * instance through Redis. The token bucket itself runs inside the reservation script, on a
 * key kept with the activity (same hash slot), so the limit and the reservation cost one
 * Redis round trip, not two; the bucket is therefore per user and activity. This class owns
 * its settings (reloadable) and the answer when a bucket is empty.
 */
export class SeckillLimiter {
  constructor(
    private settings: Config['ratelimit'],
    private readonly rejected?: Metrics['rateLimited'],
  ) {}

  /** Config reload: buckets keep their tokens, only rate and burst change. */
  update(settings: Config['ratelimit']): void {
    this.settings = settings;
  }

  /** The script's rate and burst arguments; rate 0 turns the bucket off. */
  bucket(): [rate: number, burst: number] {
    return this.settings.enabled
      ? [this.settings.seckill.rate, this.settings.seckill.burst]
      : [0, 0];
  }

  /** The client address's bucket (ratelimit.seckill_ip): many accounts, one address. Rate 0: off. */
  addressBucket(): [rate: number, burst: number] {
    return this.settings.enabled
      ? [this.settings.seckill_ip.rate, this.settings.seckill_ip.burst]
      : [0, 0];
  }

  /** 429 RATE_LIMITED with Retry-After, counted in http_requests_rate_limited_total{limiter="seckill"}. */
  refuse(retryMs: number): DomainError {
    this.rejected?.inc({ limiter: 'seckill' });
    return rateLimited(retryMs / 1000, 'too many requests (seckill limit)');
  }
}
