import type { Config } from '../config/schema.js';
import { createDb, type Knex } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import { MqConnection, type Topology } from '../infra/mq.js';
import { createRedis, whenReady, type Redis } from '../infra/redis.js';

export interface Infra {
  db: Knex;
  redis: Redis;
  mq: MqConnection;
  close(): Promise<void>;
}

export interface OpenInfraOptions {
  topology?: Topology;
  prefetch?: number;
  /** Connect to RabbitMQ before returning (serve and consume do; db-only commands skip it). */
  waitForBroker?: boolean;
  /** Redis commands fail at once while it is unreachable (serve's request paths answer 503 BUSY). */
  failFastRedis?: boolean;
}

/** Opens the three connections a process needs; close() releases them in reverse order. */
export async function openInfra(
  config: Config,
  logger: Logger,
  options: OpenInfraOptions = {},
): Promise<Infra> {
  const db = createDb(config.database);
  const redis = createRedis(config.redis, { failFast: options.failFastRedis === true });
  redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis error'));
  const mq = new MqConnection({
    rabbitmq: config.rabbitmq,
    logger,
    ...(options.topology ? { topology: options.topology } : {}),
    ...(options.prefetch ? { prefetch: options.prefetch } : {}),
  });
  const close = async () => {
    await mq.close();
    redis.disconnect();
    await db.destroy();
  };
  try {
    await db.raw('SELECT 1');
    // A fail-fast client refuses commands until it is connected.
    if (options.failFastRedis) await whenReady(redis, 10_000);
    await redis.ping();
    if (options.waitForBroker !== false) await mq.connect();
  } catch (error) {
    await close();
    throw error;
  }
  return { db, redis, mq, close };
}
