import { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';

export { Redis };

export interface RedisOptions {
  /** Fail commands at once while disconnected instead of queueing them (readiness, hot path). */
  failFast?: boolean;
}

export function createRedis(redis: Config['redis'], options: RedisOptions = {}): Redis {
  return new Redis({
    host: redis.host,
    port: redis.port,
    password: redis.password || undefined,
    db: redis.db,
    lazyConnect: false,
    maxRetriesPerRequest: options.failFast ? 0 : 3,
    enableOfflineQueue: !options.failFast,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}
