import { randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O, U, so a number read aloud or retyped is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_CHARS = 13; // 65 random bits: guessing a neighbour's number is hopeless

// The hot seckill path hands out thousands of numbers a second; one randomBytes call per
// number cost ~5% of its CPU. Cryptographic bytes are drawn in blocks, each used once.
const POOL_SIZE = RANDOM_CHARS * 512;
let pool = Buffer.alloc(0);
let offset = 0;

function freshBytes(count: number): Buffer {
  if (offset + count > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  offset += count;
  return pool.subarray(offset - count, offset);
}

/**
 * An order number: the UTC time to the millisecond ("20261125120000123"), so numbers sort
 * by creation and tell support when an order was made, then 13 random base32 characters,
 * so knowing one number reveals nothing about another. 30 characters (column is 32).
 * Seckill hands these out at reservation time, before the order row exists.
 */
export function newOrderNo(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 17);
  const bytes = freshBytes(RANDOM_CHARS);
  let random = '';
  // 32 divides 256, so byte % 32 is uniform.
  for (const byte of bytes) random += ALPHABET[byte % 32];
  return stamp + random;
}
