import type { Knex } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { Redis } from '../infra/redis.js';
import type { OrderRow } from '../order/repository.js';
import type { SeckillCancelHook } from '../order/service.js';
import { GiveBackCode } from './codes.js';
import { activityKeys, eventsChannel } from './keys.js';
import { SeckillRepository } from './repository.js';
import { scriptsOn } from './scripts.js';

export interface GiveBackDeps {
  db: Knex;
  redis: Redis;
  keyPrefix: string;
  logger: Logger;
}

/**
 * The seckill half of cancelling an order (a user's cancel or the payment timeout), wired
 * into OrderService: inside the transaction whose status compare-and-set just won, the
 * activity's MySQL stock gets the units back; once that transaction commits, Redis does too
 * (the give-back script, guarded so each order gives back once). Redis comes after the
 * commit on purpose: a crash in between leaves Redis a unit short (undersell, which
 * `seckill reconcile --fix` repairs), never a unit too many (oversell).
 * The buyer slot is not given back: the cancelled row keeps it, so the same buyer cannot
 * buy again past the limit, and a new slot could never collide with it.
 */
export function seckillCancelHook(deps: GiveBackDeps): SeckillCancelHook {
  const repository = new SeckillRepository(deps.db);
  return async (order: OrderRow, trx: Knex.Transaction) => {
    if (order.activity_id === null)
      throw new Error(`seckill order ${order.order_no} has no activity`);
    const units = await repository.orderUnits(order.id, trx);
    const productId = await repository.productIdOf(order.activity_id, trx);
    if (productId === undefined)
      throw new Error(`seckill order ${order.order_no}: activity ${order.activity_id} is gone`);
    await repository.returnUnits(trx, order.activity_id, units);
    trx.executionPromise.then(
      // Logged inside; reconcile repairs a give-back that Redis missed.
      () => giveBackInRedis(deps, productId, order.order_no, units).catch(() => undefined),
      () => undefined, // Rolled back: nothing was given back in MySQL either.
    );
  };
}

/** Redis half of a give-back; tells every instance the activity has stock again. */
async function giveBackInRedis(
  deps: Omit<GiveBackDeps, 'db'>,
  productId: number,
  orderNo: string,
  units: number,
): Promise<GiveBackCode> {
  const keys = activityKeys(deps.keyPrefix, productId);
  try {
    const code = await scriptsOn(deps.redis).giveBack({ keys, orderNo, quantity: units });
    if (code === GiveBackCode.GivenBack)
      await deps.redis.publish(eventsChannel(deps.keyPrefix), String(productId));
    if (code === GiveBackCode.NotLoaded) {
      deps.logger.warn(
        { productId, orderNo },
        'seckill give-back: activity not in Redis; run seckill reconcile --fix',
      );
    }
    return code;
  } catch (error) {
    deps.logger.error(
      { err: error, productId, orderNo, units },
      'seckill give-back to Redis failed; run seckill reconcile --fix',
    );
    throw error;
  }
}
