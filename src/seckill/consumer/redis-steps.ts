import { runScript, type Redis } from '../../infra/redis.js';
import type { UndoCode } from '../codes.js';
import { activityKeys } from '../keys.js';
import type { OrderMessage } from '../message.js';

/** Groups messages by activity: each Redis script call works on one activity's keys. */
export function byProduct<T extends { product_id: number }>(items: T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const group = groups.get(item.product_id);
    if (group) group.push(item);
    else groups.set(item.product_id, [item]);
  }
  return groups;
}

/** lua/seckillClaim-2.lua per activity; returns the messages still pending (now claimed). */
export async function claim(
  redis: Redis,
  keyPrefix: string,
  messages: OrderMessage[],
): Promise<Set<OrderMessage>> {
  const claimed = new Set<OrderMessage>();
  await Promise.all(
    [...byProduct(messages)].map(async ([productId, group]) => {
      const keys = activityKeys(keyPrefix, productId);
      const flags = await runScript<number[]>(
        redis,
        'seckillClaim',
        [keys.pending, keys.claimed],
        group.map((m) => m.order_no),
      );
      group.forEach((m, i) => {
        if (flags[i] === 1) claimed.add(m);
      });
    }),
  );
  return claimed;
}

/** lua/seckillDone-4.lua per activity: pending cleared, results recorded. */
export async function markDone(
  redis: Redis,
  keyPrefix: string,
  messages: Array<Pick<OrderMessage, 'order_no' | 'user_id' | 'product_id'>>,
): Promise<void> {
  await Promise.all(
    [...byProduct(messages)].map(([productId, group]) => {
      const keys = activityKeys(keyPrefix, productId);
      return runScript<number>(
        redis,
        'seckillDone',
        [keys.pending, keys.due, keys.claimed, keys.result],
        group.flatMap((m) => [m.order_no, m.user_id]),
      );
    }),
  );
}

/** lua/seckillUndo-6.lua: the reservation of a dead-lettered message goes back on sale. */
export function undo(redis: Redis, keyPrefix: string, m: OrderMessage): Promise<UndoCode> {
  const keys = activityKeys(keyPrefix, m.product_id);
  return runScript<UndoCode>(
    redis,
    'seckillUndo',
    [keys.stock, keys.buyers, keys.pending, keys.due, keys.claimed, keys.result],
    [m.order_no, m.user_id, m.quantity, m.slot],
  );
}
