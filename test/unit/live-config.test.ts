import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { LiveConfig, SERVE_LIVE_KEYS } from '../../src/config/live.js';
import type { Config } from '../../src/config/schema.js';

const base = loadConfig({ env: 'test', environ: {} });

test('reload applies live sections in place, reports the rest as needing a restart', () => {
  const running = structuredClone(base);
  const limits = running.ratelimit;
  let next: Config = structuredClone(base);
  const live = new LiveConfig(running, () => next, SERVE_LIVE_KEYS);
  const seen: string[][] = [];
  live.on('change', (_config, _previous, applied) => seen.push(applied));

  next = structuredClone(base);
  next.ratelimit.api.rate = 7;
  next.log.level = 'debug';
  next.database.host = 'elsewhere';
  const outcome = live.reload();

  assert.deepEqual(outcome.applied.sort(), ['log.level', 'ratelimit.api.rate']);
  assert.deepEqual(outcome.needsRestart, ['database.host']);
  assert.equal(live.current, running);
  assert.equal(limits.api.rate, 7, 'holders of a section object see the new values');
  assert.equal(running.log.level, 'debug');
  assert.equal(running.database.host, base.database.host, 'non-live keys keep the running value');
  assert.deepEqual(seen, [outcome.applied]);
});

test('a key of a live section that is read only at start is reported, not applied', () => {
  const running = structuredClone(base);
  const next = structuredClone(base);
  next.seckill.hot_path = !base.seckill.hot_path;
  next.seckill.sold_out_ttl_ms = base.seckill.sold_out_ttl_ms + 1;
  next.seckill.outbox_limit = base.seckill.outbox_limit + 1;
  const outcome = new LiveConfig(running, () => next, SERVE_LIVE_KEYS).reload();
  assert.deepEqual(outcome.applied, ['seckill.outbox_limit']);
  assert.deepEqual(outcome.needsRestart.sort(), ['seckill.hot_path', 'seckill.sold_out_ttl_ms']);
  assert.equal(running.seckill.hot_path, base.seckill.hot_path, 'still the running value');
  assert.equal(running.seckill.outbox_limit, next.seckill.outbox_limit);
});

test('an invalid config throws and the old one stays', () => {
  const running = structuredClone(base);
  const live = new LiveConfig(
    running,
    () => {
      throw new Error('server.port: Expected number');
    },
    SERVE_LIVE_KEYS,
  );
  assert.throws(() => live.reload(), /server\.port/);
  assert.deepEqual(running, base);
});

test('nothing changed: no event', () => {
  const live = new LiveConfig(base, () => structuredClone(base), SERVE_LIVE_KEYS);
  let events = 0;
  live.on('change', () => events++);
  assert.deepEqual(live.reload(), { applied: [], needsRestart: [] });
  assert.equal(events, 0);
});
