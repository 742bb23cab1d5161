import type { Config } from '../config/schema.js';
import type { Knex } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { MqConnection } from '../infra/mq.js';
import type { Redis } from '../infra/redis.js';
import { seckillCancelHook } from '../seckill/give-back.js';
import { OrderService, type OrderServiceDeps } from './service.js';
import { orderTimeoutScheduler } from './timeout-scheduler.js';

export interface OrderModuleDeps {
  config: Config;
  db: Knex;
  redis: Redis;
  logger: Logger;
  invalidateProducts: OrderServiceDeps['invalidateProducts'];
  /** The API server's broker connection: new normal orders schedule their payment timeout on it. */
  mq?: MqConnection;
}

/**
 * The one OrderService of a process (the API server and the consumer alike), with the
 * seckill give-back wired in so a cancelled flash-sale order returns its unit, and (given a
 * broker) each new normal order's payment timeout sent into the delay queue.
 */
export function createOrderService(deps: OrderModuleDeps): OrderService {
  const { config } = deps;
  return new OrderService({
    db: deps.db,
    invalidateProducts: deps.invalidateProducts,
    onSeckillCancel: seckillCancelHook({
      db: deps.db,
      redis: deps.redis,
      keyPrefix: config.redis.key_prefix,
      logger: deps.logger,
    }),
    paymentTimeoutMs: Math.round(config.order.payment_timeout_seconds * 1000),
    refundRestock: config.order.refund_restock,
    ...(deps.mq ? { scheduleTimeout: orderTimeoutScheduler(config, deps.mq, deps.logger) } : {}),
  });
}
