// Which rate limits a measurement lifts, and the line that says so. Measurements of the
// endpoints' own speed lift the global cap by config and say so. The bench lifts the
// per-instance global cap and the per-client API cap (one machine's few thousand buyers would
// otherwise measure the limiter); the per-user seckill limit is part of the sale's semantics
// and stays on (in the shipped scenarios each buyer sends one request anyway).
import type { Config } from '../../config/schema.js';
import type { LimitsNote } from '../types.js';

const LIFTED_RATE = 1_000_000;

/** GOMALL_* variables for serve: global and API caps raised far above any load one machine makes. */
export function liftedLimitsEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const limiter of ['GLOBAL', 'API']) {
    env[`GOMALL_RATELIMIT__${limiter}__RATE`] = String(LIFTED_RATE);
    env[`GOMALL_RATELIMIT__${limiter}__BURST`] = String(LIFTED_RATE);
  }
  return env;
}

const bucket = (b: { rate: number; burst: number }) => `${b.rate}/s, burst ${b.burst}`;

export function limitsNote(config: Config, managed: boolean): LimitsNote {
  const rl = config.ratelimit;
  if (!rl.enabled) {
    return {
      lifted: [],
      kept: [],
      text: 'limits: rate limits are off in this config (ratelimit.enabled: false)',
    };
  }
  if (!managed) {
    return {
      lifted: [],
      kept: ['global', 'api', 'seckill'],
      text: `limits: as the target is configured (this config says global ${bucket(rl.global)} per instance, API ${bucket(rl.api)} per client, seckill ${bucket(rl.seckill)} per user)`,
    };
  }
  return {
    lifted: ['global', 'api'],
    kept: ['seckill'],
    text: `limits: global cap (${bucket(rl.global)} per instance) and API cap (${bucket(rl.api)} per client) lifted to ${LIFTED_RATE.toLocaleString('en-US')}/s for this measurement; the per-user seckill limit (${bucket(rl.seckill)}) stays on`,
  };
}
