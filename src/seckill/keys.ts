/**
 * Redis keys of one activity. They share the hash tag {<product_id>}, so a Redis Cluster
 * keeps an activity in one slot and its scripts can touch all of them at once.
 */
export interface ActivityKeys {
  meta: string;
  stock: string;
  buyers: string;
  buyersStaging: string;
  pending: string;
  due: string;
  /** order_no -> the live claims of consumer batches inserting it (lua/seckillClaim). */
  claims: string;
  /** Tombstones: reservations released for good (docs/SECKILL.md, Consumer); never to become orders. */
  released: string;
  result: string;
  returned: string;
  idempotency(userId: number, key: string): string;
  /** The buyer's request-rate bucket (ratelimit.seckill), kept with the activity. */
  bucket(userId: number): string;
  /** The client address's request-rate bucket (ratelimit.seckill_ip). */
  addressBucket(address: string): string;
  /** Set when the anti-bot token with this nonce is spent. */
  spentToken(nonce: string): string;
  /** A captcha's answer until it is tried once. */
  captcha(id: string): string;
}

export function activityKeys(prefix: string, productId: number): ActivityKeys {
  const base = `${prefix}seckill:{${productId}}:`;
  return {
    meta: `${base}meta`,
    stock: `${base}stock`,
    buyers: `${base}buyers`,
    buyersStaging: `${base}buyers:staging`,
    pending: `${base}pending`,
    due: `${base}due`,
    claims: `${base}claims`,
    released: `${base}released`,
    result: `${base}result`,
    returned: `${base}returned`,
    idempotency: (userId, key) => `${base}idem:${userId}:${key}`,
    bucket: (userId) => `${base}rate:${userId}`,
    addressBucket: (address) => `${base}iprate:${address}`,
    spentToken: (nonce) => `${base}token:${nonce}`,
    captcha: (id) => `${base}captcha:${id}`,
  };
}

/** Product ids of every loaded activity: what the sweeper, status and metrics walk. */
export const registryKey = (prefix: string) => `${prefix}seckill:activities`;

/** Pub/sub channel telling every instance an activity's stock came back (re-init, give-back). */
export const eventsChannel = (prefix: string) => `${prefix}seckill:events`;
