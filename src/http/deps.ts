import type { JwtCodec } from '../auth/jwt.js';
import type { Config } from '../config/schema.js';
import type { Knex } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';
import type { MqConnection } from '../infra/mq.js';
import type { Redis } from '../infra/redis.js';
import type { SeckillModule } from '../seckill/module.js';

/** What the express app is built from: real connections in serve and in tests alike. */
export interface AppDeps {
  config: Config;
  db: Knex;
  redis: Redis;
  mq: MqConnection;
  logger: Logger;
  metrics: Metrics;
  jwt: JwtCodec;
  /** The flash sale (routes, hot path); built per instance by createSeckill(). */
  seckill?: SeckillModule;
}
