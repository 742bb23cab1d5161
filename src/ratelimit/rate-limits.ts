import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config/schema.js';
import type { Metrics } from '../infra/metrics.js';

/** The per-instance limiters of docs/API.md, Rate limits (seckill's per-user limit lives in Redis, elsewhere). */
export const LIMITER_NAMES = ['global', 'api', 'login', 'login_user', 'register'] as const;
export type LimiterName = (typeof LIMITER_NAMES)[number];

export type Verdict = { ok: true } | { ok: false; retryAfterMs: number };

type Bucket = Config['ratelimit']['global'];

/** The one key of the global limiter: every request of the instance shares its bucket. */
export const GLOBAL_KEY = 'instance';

const ALLOWED: Verdict = { ok: true };

/**
 * A token bucket of `burst` tokens refilled at `rate` per second, approximated by
 * rate-limiter-flexible's in-memory counter: `burst` points per window of burst/rate
 * seconds. Same sustained rate and same largest burst (a client may get two bursts across
 * a window edge), and no timer or Redis round trip per request.
 */
function limiterFor(name: LimiterName, bucket: Bucket): RateLimiterMemory {
  return new RateLimiterMemory({
    keyPrefix: name,
    points: bucket.burst,
    duration: bucket.burst / bucket.rate,
  });
}

/**
 * The live limits of one app instance. update() swaps in new settings (config reload);
 * a limiter whose rate and burst did not change keeps its counters.
 */
export class RateLimits {
  private settings: Config['ratelimit'];
  private readonly limiters = new Map<
    LimiterName,
    { bucket: Bucket; limiter: RateLimiterMemory }
  >();

  constructor(
    settings: Config['ratelimit'],
    private readonly rejected?: Metrics['rateLimited'],
  ) {
    this.settings = settings;
    this.update(settings);
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  update(settings: Config['ratelimit']): void {
    this.settings = settings;
    for (const name of LIMITER_NAMES) {
      const bucket = settings[name];
      const current = this.limiters.get(name);
      if (current && current.bucket.rate === bucket.rate && current.bucket.burst === bucket.burst)
        continue;
      this.limiters.set(name, { bucket: { ...bucket }, limiter: limiterFor(name, bucket) });
    }
  }

  /**
   * Takes one token from `key`'s bucket of limiter `name`. Plain async function, so code
   * outside express (the seckill hot path) applies the same limits. A refusal is counted
   * in http_requests_rate_limited_total{limiter}.
   */
  async tryConsume(name: LimiterName, key: string): Promise<Verdict> {
    if (!this.settings.enabled) return ALLOWED;
    try {
      await this.limiters.get(name)!.limiter.consume(key);
      return ALLOWED;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      this.rejected?.inc({ limiter: name });
      return { ok: false, retryAfterMs: rejection.msBeforeNext };
    }
  }
}
