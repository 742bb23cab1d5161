import amqp from 'amqplib';
import type { Config } from '../config/schema.js';
import { amqpUrl } from '../infra/mq.js';
import type { Redis } from '../infra/redis.js';
import { activityKeys } from './keys.js';
import type { SeckillRepository } from './repository.js';
import { seckillNames } from './topology.js';

export interface ActivityStatus {
  product_id: number;
  activity_id: number;
  generation: number;
  window: 'upcoming' | 'active' | 'ended';
  total_stock: number;
  /** Units for sale now (Redis). */
  stock: number | null;
  /** Units not yet turned into orders, as MySQL counts them. */
  mysql_stock: number;
  /** Units in orders that are not cancelled. */
  sold: number;
  /** Reservations in the outbox, not yet order rows. */
  pending: number;
  /** Redis holds this generation (loaded by init, or warmed before the start by consume). */
  warmed: boolean;
}

/** Messages ready in each queue (an orders message carries one or more orders). */
export interface QueueDepths {
  orders: number;
  timeouts: number;
  delayed: number;
  dead: number;
}

export interface SeckillStatus {
  activities: ActivityStatus[];
  /** null when the broker cannot be reached. */
  queues: QueueDepths | null;
}

export async function seckillStatus(
  config: Config,
  redis: Redis,
  repository: SeckillRepository,
  productId?: number,
): Promise<SeckillStatus> {
  const rows = (await repository.listActivities()).filter(
    (row) => productId === undefined || Number(row.product_id) === productId,
  );
  const now = Date.now();
  const activities = await Promise.all(
    rows.map(async (row): Promise<ActivityStatus> => {
      const keys = activityKeys(config.redis.key_prefix, Number(row.product_id));
      const [generation, stock, pending, sold] = await Promise.all([
        redis.hget(keys.meta, 'generation'),
        redis.get(keys.stock),
        redis.hlen(keys.pending),
        repository.soldUnits(row.id),
      ]);
      const start = new Date(row.start_at).getTime();
      const end = new Date(row.end_at).getTime();
      return {
        product_id: Number(row.product_id),
        activity_id: Number(row.id),
        generation: row.generation,
        window: now < start ? 'upcoming' : now >= end ? 'ended' : 'active',
        total_stock: row.total_stock,
        stock: stock === null ? null : Number(stock),
        mysql_stock: row.stock,
        sold,
        pending,
        warmed: generation !== null && Number(generation) >= row.generation,
      };
    }),
  );
  return { activities, queues: await queueDepths(config).catch(() => null) };
}

async function queueDepths(config: Config): Promise<QueueDepths> {
  const names = seckillNames(config);
  const connection = await amqp.connect(amqpUrl(config.rabbitmq), { timeout: 3000 });
  try {
    // A missing queue closes the channel it was asked on; one channel per question.
    const depth = async (queue: string) => {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      try {
        return (await channel.checkQueue(queue)).messageCount;
      } catch {
        return 0;
      } finally {
        await channel.close().catch(() => undefined);
      }
    };
    return {
      orders: await depth(names.orders),
      timeouts: await depth(names.timeouts),
      delayed:
        (await depth(names.delay)) +
        (names.orderDelay === names.delay ? 0 : await depth(names.orderDelay)),
      dead: await depth(names.dead),
    };
  } finally {
    await connection.close().catch(() => undefined);
  }
}
