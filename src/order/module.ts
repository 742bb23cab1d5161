import type { Config } from '../config/schema.js';
import type { Knex } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { Redis } from '../infra/redis.js';
import { seckillCancelHook } from '../seckill/give-back.js';
import { OrderService, type OrderServiceDeps } from './service.js';

export interface OrderModuleDeps {
  config: Config;
  db: Knex;
  redis: Redis;
  logger: Logger;
  invalidateProducts: OrderServiceDeps['invalidateProducts'];
}

/**
 * The one OrderService of a process (the API server and the consumer alike), with the
 * seckill give-back wired in so a cancelled flash-sale order returns its unit.
 */
export function createOrderService(deps: OrderModuleDeps): OrderService {
  return new OrderService({
    db: deps.db,
    invalidateProducts: deps.invalidateProducts,
    onSeckillCancel: seckillCancelHook({
      db: deps.db,
      redis: deps.redis,
      keyPrefix: deps.config.redis.key_prefix,
      logger: deps.logger,
    }),
  });
}
