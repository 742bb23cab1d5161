// Everything the seckill invariants need about one activity, read from MySQL and Redis.
import type { Knex } from '../../infra/db.js';
import type { Redis } from '../../infra/redis.js';
import { activityKeys } from '../../seckill/keys.js';
import { orderMessage, parseMessage } from '../../seckill/message.js';
import { SeckillRepository } from '../../seckill/repository.js';

/** Over-limit buyers listed by id in a report; the count covers the rest. */
const SAMPLE_USERS = 5;

export interface SaleFigures {
  product_id: number;
  activity_id: number;
  /** total_stock: the units the activity put on sale. */
  initial_stock: number;
  limit_per_user: number;
  /** seckill_activities.stock: units MySQL has not turned into orders. */
  mysql_stock: number;
  /** Units Redis still sells; null when the activity is not loaded in Redis. */
  redis_stock: number | null;
  /** Units in orders of the activity that are not cancelled. */
  sold: number;
  /** Order rows of the activity, cancelled ones included. */
  order_rows: number;
  /** Rows sharing an order_no with another row. */
  duplicate_order_nos: number;
  /** Reservations in the outbox whose order row does not exist yet, and their units. */
  pending: number;
  pending_units: number;
  /** The most units one buyer holds, and the buyers over limit_per_user. */
  max_units_per_user: number;
  users_over_limit: number;
  over_limit_sample: number[];
}

export async function saleFigures(
  db: Knex,
  redis: Redis,
  keyPrefix: string,
  productId: number,
): Promise<SaleFigures> {
  const repository = new SeckillRepository(db);
  const activity = await repository.findActivity(productId);
  if (!activity) throw new Error(`product ${productId} has no seckill activity`);
  const activityId = Number(activity.id);
  const keys = activityKeys(keyPrefix, productId);
  const [stock, pendingBodies] = await Promise.all([
    redis.get(keys.stock),
    redis.hgetall(keys.pending),
  ]);

  // Outbox records whose order already exists are about to be cleared: not in flight.
  const pending = Object.values(pendingBodies)
    .map((body) => parseMessage(orderMessage, Buffer.from(body)))
    .filter((m) => m !== null);
  const existing = await repository.existingOrderNos(pending.map((m) => m.order_no));
  const inFlight = pending.filter((m) => !existing.has(m.order_no));

  const [rows, sold, perUser] = await Promise.all([
    orderRows(db, activityId),
    repository.soldUnits(activityId),
    unitsPerUser(db, activityId, activity.limit_per_user),
  ]);
  return {
    product_id: productId,
    activity_id: activityId,
    initial_stock: activity.total_stock,
    limit_per_user: activity.limit_per_user,
    mysql_stock: activity.stock,
    redis_stock: stock === null ? null : Number(stock),
    sold,
    order_rows: rows.total,
    duplicate_order_nos: rows.total - rows.distinct,
    pending: inFlight.length,
    pending_units: inFlight.reduce((sum, m) => sum + m.quantity, 0),
    ...perUser,
  };
}

async function orderRows(
  db: Knex,
  activityId: number,
): Promise<{ total: number; distinct: number }> {
  const row = (await db('orders')
    .where({ activity_id: activityId })
    .select(db.raw('COUNT(*) AS total'), db.raw('COUNT(DISTINCT order_no) AS distinct_nos'))
    .first()) as { total: number | string; distinct_nos: number | string };
  return { total: Number(row.total), distinct: Number(row.distinct_nos) };
}

/** Units each buyer holds in orders that are not cancelled: the top figure and who is over the limit. */
async function unitsPerUser(
  db: Knex,
  activityId: number,
  limit: number,
): Promise<Pick<SaleFigures, 'max_units_per_user' | 'users_over_limit' | 'over_limit_sample'>> {
  const perUser = db('orders as o')
    .join('order_items as i', 'i.order_id', 'o.id')
    .where('o.activity_id', activityId)
    .whereNot('o.status', 'cancelled')
    .groupBy('o.user_id')
    .select('o.user_id', db.raw('SUM(i.quantity) AS units'));
  const [top, over] = await Promise.all([
    db.from(perUser.clone().as('u')).max({ units: 'units' }).first() as Promise<
      { units: number | string | null } | undefined
    >,
    db
      .from(perUser.clone().as('u'))
      .where('units', '>', limit)
      .select(
        db.raw('COUNT(*) AS n'),
        db.raw(
          `SUBSTRING_INDEX(GROUP_CONCAT(user_id ORDER BY units DESC, user_id), ',', ${SAMPLE_USERS}) AS sample`,
        ),
      )
      .first() as Promise<{ n: number | string; sample: string | null }>,
  ]);
  return {
    max_units_per_user: Number(top?.units ?? 0),
    users_over_limit: Number(over.n),
    over_limit_sample: over.sample ? over.sample.split(',').map(Number) : [],
  };
}
