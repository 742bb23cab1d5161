import type { Config } from '../config/schema.js';
import type { Knex } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { Redis } from '../infra/redis.js';
import { ProductRepository } from './repository.js';
import { productView, type ProductView } from './view.js';

/**
 * A reader that missed the cache just before a write can still store the old value just
 * after the writer's DEL (it read MySQL before the commit). A second DEL this much later
 * removes such a straggler, so stale stock lives for at most this long, not a whole TTL.
 */
const SECOND_DELETE_MS = 500;

export const productCacheKey = (keyPrefix: string, id: number) => `${keyPrefix}product:${id}`;

/**
 * Drops product details from the cache. Call it after the transaction that changed them
 * commits (before, a reader could cache the old row again). Anyone who changes a
 * product's stock or fields outside ProductService (orders, seckill) calls this too.
 */
export async function invalidateProducts(
  redis: Redis,
  keyPrefix: string,
  ids: number[],
): Promise<void> {
  if (ids.length === 0) return;
  const keys = ids.map((id) => productCacheKey(keyPrefix, id));
  await redis.unlink(...keys);
  setTimeout(() => {
    redis.unlink(...keys).catch(() => {
      // Closing down, or Redis is away: the TTL bounds the staleness instead.
    });
  }, SECOND_DELETE_MS).unref();
}

interface Flight {
  promise: Promise<ProductView | null>;
  /** Set when the product is invalidated mid-read: the read must not be cached then. */
  stale: boolean;
}

/**
 * Cache-aside for product detail. Redis holds the product as JSON, or "null" for an id
 * that does not exist (for `product_miss_ttl_seconds`), so a flood of unknown ids stays in
 * Redis. Concurrent misses on one id in this process share one MySQL read.
 */
export class ProductCache {
  private readonly flights = new Map<number, Flight>();

  constructor(
    private readonly redis: Redis,
    private readonly settings: { keyPrefix: string; cache: Config['cache'] },
    private readonly load: (id: number) => Promise<ProductView | null>,
    private readonly logger: Logger,
  ) {}

  async get(id: number): Promise<ProductView | null> {
    let cached: string | null = null;
    try {
      cached = await this.redis.get(productCacheKey(this.settings.keyPrefix, id));
    } catch (error) {
      // The cache is an optimisation: with Redis away, read MySQL.
      this.logger.warn({ err: (error as Error).message, id }, 'product cache read failed');
    }
    if (cached !== null) return JSON.parse(cached) as ProductView | null;
    return this.readThrough(id);
  }

  /** Never throws: when Redis is away, the TTL bounds how long a stale detail can live. */
  async invalidate(ids: number[]): Promise<void> {
    for (const id of ids) {
      const flight = this.flights.get(id);
      if (flight) {
        flight.stale = true;
        this.flights.delete(id);
      }
    }
    try {
      await invalidateProducts(this.redis, this.settings.keyPrefix, ids);
    } catch (error) {
      // The change is committed; failing its request now would only mislead the caller.
      this.logger.error(
        { err: (error as Error).message, ids },
        'product cache invalidation failed',
      );
    }
  }

  private readThrough(id: number): Promise<ProductView | null> {
    const joined = this.flights.get(id);
    if (joined) return joined.promise;
    const flight: Flight = {
      stale: false,
      promise: this.load(id)
        .then(async (product) => {
          if (!flight.stale) await this.store(id, product);
          return product;
        })
        .finally(() => {
          if (this.flights.get(id) === flight) this.flights.delete(id);
        }),
    };
    this.flights.set(id, flight);
    return flight.promise;
  }

  private async store(id: number, product: ProductView | null): Promise<void> {
    const { cache, keyPrefix } = this.settings;
    const ttl = product ? cache.product_ttl_seconds : cache.product_miss_ttl_seconds;
    try {
      await this.redis.set(productCacheKey(keyPrefix, id), JSON.stringify(product), 'EX', ttl);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, id }, 'product cache write failed');
    }
  }
}

export interface ProductCacheDeps {
  db: Knex;
  redis: Redis;
  config: Config;
  logger: Logger;
}

/** The app's one product cache: the detail route reads it, every stock change invalidates it. */
export function createProductCache({ db, redis, config, logger }: ProductCacheDeps): ProductCache {
  const products = new ProductRepository(db);
  return new ProductCache(
    redis,
    { keyPrefix: config.redis.key_prefix, cache: config.cache },
    async (id) => {
      const row = await products.findById(id);
      return row ? productView(row) : null;
    },
    logger,
  );
}
