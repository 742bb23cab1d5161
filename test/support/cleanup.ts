import type { Config } from '../../src/config/schema.js';
import { dropDatabase } from '../../src/infra/db.js';
import { createRedis, type Redis } from '../../src/infra/redis.js';
import { deleteBrokerNames } from './rabbit.js';

/** Deletes every Redis key under `prefix` (a test file's redis.key_prefix). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Removes what a test file made under its own names: Redis keys, queues, the database. */
export async function dropIsolation(config: Config): Promise<void> {
  const redis = createRedis(config.redis);
  try {
    await deleteKeys(redis, config.redis.key_prefix);
  } finally {
    redis.disconnect();
  }
  await deleteBrokerNames(config);
  await dropDatabase(config.database);
}
