import type { Redis } from '../../infra/redis.js';
import type { ClaimCode, UndoCode } from '../codes.js';
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

/** A consumer batch's claim: its token, and how long it holds undos back without a word. */
export interface BatchClaim {
  token: string;
  leaseMs: number;
}

/** The claim script per activity: each message's code (claimed, not pending, released). */
export async function claim(
  redis: Redis,
  keyPrefix: string,
  batch: BatchClaim,
  messages: OrderMessage[],
): Promise<Map<OrderMessage, ClaimCode>> {
  const codes = new Map<OrderMessage, ClaimCode>();
  await Promise.all(
    [...byProduct(messages)].map(async ([productId, group]) => {
      const replies = await scriptsOn(redis).claim({
        keys: activityKeys(keyPrefix, productId),
        token: batch.token,
        leaseMs: batch.leaseMs,
        orderNos: group.map((m) => m.order_no),
      });
      group.forEach((m, i) => codes.set(m, replies[i]!));
    }),
  );
  return codes;
}

/** The batch will not insert these after all: its claims on them go. */
export async function unclaim(
  redis: Redis,
  keyPrefix: string,
  token: string,
  messages: OrderMessage[],
): Promise<void> {
  await Promise.all(
    [...byProduct(messages)].map(([productId, group]) =>
      scriptsOn(redis).unclaim({
        keys: activityKeys(keyPrefix, productId),
        token,
        orderNos: group.map((m) => m.order_no),
      }),
    ),
  );
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

/**
 * The reservation of a dead-lettered message goes back on sale and leaves its tombstone,
 * unless another batch than `token`'s holds a live claim on it.
 */
export function undo(
  redis: Redis,
  keyPrefix: string,
  m: OrderMessage,
  token: string,
): Promise<UndoCode> {
  return scriptsOn(redis).undo({
    keys: activityKeys(keyPrefix, m.product_id),
    orderNo: m.order_no,
    userId: m.user_id,
    quantity: m.quantity,
    slot: m.slot,
    token,
  });
}
