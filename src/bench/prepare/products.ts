// The run's products: seckill activities (stock in Redis and seckill_activities, opened now,
// one unit per buyer) or, for browse-and-buy, plain catalog stock.
import type { AntiBot } from '../../seckill/schemas.js';
import type { Knex } from '../../infra/db.js';
import type { Redis } from '../../infra/redis.js';
import { ActivityService } from '../../seckill/activity.js';
import { SeckillRepository } from '../../seckill/repository.js';

const PRICE = '9.90';

/** Creates `count` products named after the run; `catalogStock` goes in products.stock. */
export async function createProducts(
  db: Knex,
  runId: string,
  count: number,
  catalogStock = 0,
): Promise<number[]> {
  const ids: number[] = [];
  for (let n = 1; n <= count; n++) {
    const [id] = await db('products').insert({
      name: `bench ${runId} #${n}`,
      description: 'created by gomall bench',
      price: PRICE,
      stock: catalogStock,
      category: 'bench',
    });
    ids.push(Number(id));
  }
  return ids;
}

/** Opens a flash sale on each product through the seckill module: `stock` units, window open now. */
export async function openSales(
  db: Knex,
  redis: Redis,
  keyPrefix: string,
  productIds: number[],
  stock: number,
  limitPerUser = 1,
  antiBot: AntiBot = 'none',
): Promise<void> {
  const activities = new ActivityService({
    db,
    redis,
    keyPrefix,
    repository: new SeckillRepository(db),
  });
  for (const productId of productIds) {
    await activities.init({
      product_id: productId,
      stock,
      limit_per_user: limitPerUser,
      start_at: new Date(),
      anti_bot: antiBot,
    });
  }
}
