/**
 * A second look this much later: a consumer committing a batch between two reads moves
 * units between Redis, the outbox and MySQL, so a check reports only what both looks show.
 * `seckill reconcile` and `bench verify` both wait this long.
 */
export const SETTLE_MS = 300;
