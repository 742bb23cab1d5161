import type { Redis } from '../../infra/redis.js';
import { ClaimCode, type UndoCode } from '../codes.js';
import { activityKeys } from '../keys.js';
import type { OrderMessage } from '../message.js';
import { scriptsOn } from '../scripts.js';

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

/** The claim script per activity; returns the messages still pending (now claimed). */
export async function claim(
  redis: Redis,
  keyPrefix: string,
  messages: OrderMessage[],
): Promise<Set<OrderMessage>> {
  const claimed = new Set<OrderMessage>();
  await Promise.all(
    [...byProduct(messages)].map(async ([productId, group]) => {
      const keys = activityKeys(keyPrefix, productId);
      const codes = await scriptsOn(redis).claim({
        keys,
        orderNos: group.map((m) => m.order_no),
      });
      group.forEach((m, i) => {
        if (codes[i] === ClaimCode.Claimed) claimed.add(m);
      });
    }),
  );
  return claimed;
}

/** The done script per activity: pending cleared, results recorded. */
export async function markDone(
  redis: Redis,
  keyPrefix: string,
  messages: Array<Pick<OrderMessage, 'order_no' | 'user_id' | 'product_id'>>,
): Promise<void> {
  await Promise.all(
    [...byProduct(messages)].map(([productId, group]) => {
      const keys = activityKeys(keyPrefix, productId);
      return scriptsOn(redis).done({
        keys,
        orders: group.map((m) => ({ orderNo: m.order_no, userId: m.user_id })),
      });
    }),
  );
}

/** The reservation of a dead-lettered message goes back on sale. */
export function undo(redis: Redis, keyPrefix: string, m: OrderMessage): Promise<UndoCode> {
  return scriptsOn(redis).undo({
    keys: activityKeys(keyPrefix, m.product_id),
    orderNo: m.order_no,
    userId: m.user_id,
    quantity: m.quantity,
    slot: m.slot,
  });
}
