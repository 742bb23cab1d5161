// Step d: after the load, wait until every reservation is an order row: the outbox (pending
// records in Redis, cleared by the consumer after its commit) is empty and the orders queue
// holds no message. Bounded by --drain-timeout; a drain that times out is reported, and the
// invariants then say what it left behind.
import type { Redis } from '../../infra/redis.js';
import { activityKeys } from '../../seckill/keys.js';
import type { DrainFigures } from '../types.js';
import type { QueueProbe } from './queue-probe.js';

const POLL_MS = 200;

export interface DrainOptions {
  redis: Redis;
  keyPrefix: string;
  productIds: number[];
  probe: Pick<QueueProbe, 'read'>;
  timeoutMs: number;
  /** Between two looks (default 200 ms). */
  pollMs?: number;
  signal?: AbortSignal;
  onTick?: (pending: number, queued: number, elapsedMs: number) => void;
}

export async function waitForDrain(options: DrainOptions): Promise<DrainFigures> {
  const started = Date.now();
  const pendingKeys = options.productIds.map((id) => activityKeys(options.keyPrefix, id).pending);
  let lastTick = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const [pending, reading] = await Promise.all([
      Promise.all(pendingKeys.map((key) => options.redis.hlen(key))).then((counts) =>
        counts.reduce((a, b) => a + b, 0),
      ),
      options.probe.read(),
    ]);
    const queued = reading?.messages ?? 0;
    const elapsed = Date.now() - started;
    const drained = pending === 0 && queued === 0;
    if (drained || elapsed >= options.timeoutMs) {
      return { drained, seconds: elapsed / 1000, pending_left: pending, queued_left: queued };
    }
    if (elapsed - lastTick >= 1000) {
      lastTick = elapsed;
      options.onTick?.(pending, queued, elapsed);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? POLL_MS));
  }
}
