import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Registry } from 'prom-client';
import type { Config } from '../../src/config/schema.js';
import { RateLimits } from '../../src/ratelimit/rate-limits.js';

const settings = (over: Partial<Config['ratelimit']> = {}): Config['ratelimit'] => ({
  enabled: true,
  global: { rate: 1000, burst: 2000 },
  api: { rate: 1, burst: 3 },
  login: { rate: 10, burst: 20 },
  login_user: { rate: 1, burst: 10 },
  register: { rate: 10, burst: 50 },
  max_password_hashes: 16,
  seckill: { rate: 5, burst: 10 },
  seckill_ip: { rate: 0, burst: 0 },
  ...over,
});

function counter() {
  return new Counter({
    name: 'limited',
    help: 'h',
    labelNames: ['limiter'],
    registers: [new Registry()],
  });
}

async function consumeTimes(
  limits: RateLimits,
  name: 'api' | 'login' | 'global',
  key: string,
  n: number,
) {
  const verdicts = [];
  for (let i = 0; i < n; i += 1) verdicts.push(await limits.tryConsume(name, key));
  return verdicts;
}

test('a bucket lets its burst through, then refuses with a retry delay', async () => {
  const limits = new RateLimits(settings());
  const verdicts = await consumeTimes(limits, 'api', 'user:1', 4);
  assert.deepEqual(
    verdicts.slice(0, 3).map((v) => v.ok),
    [true, true, true],
  );
  const refused = verdicts[3]!;
  assert.equal(refused.ok, false);
  assert.ok(
    !refused.ok && refused.retryAfterMs > 0 && refused.retryAfterMs <= 3000,
    JSON.stringify(refused),
  );
});

test('keys and limiters have buckets of their own', async () => {
  const limits = new RateLimits(settings());
  await consumeTimes(limits, 'api', 'user:1', 3);
  assert.equal((await limits.tryConsume('api', 'user:1')).ok, false);
  assert.equal((await limits.tryConsume('api', 'user:2')).ok, true);
  assert.equal((await limits.tryConsume('login', 'user:1')).ok, true);
});

test('refusals are counted by limiter', async () => {
  const rejected = counter();
  const limits = new RateLimits(settings(), rejected);
  await consumeTimes(limits, 'api', 'ip:1', 5);
  const values = (await rejected.get()).values;
  assert.deepEqual(
    values.map((v) => [v.labels.limiter, v.value]),
    [['api', 2]],
  );
});

test('update() swaps in new limits and keeps the counters of unchanged ones', async () => {
  const limits = new RateLimits(settings());
  await consumeTimes(limits, 'api', 'k', 3);
  await consumeTimes(limits, 'login', 'k', 20);
  limits.update(settings({ api: { rate: 10, burst: 10 } }));
  const api = await consumeTimes(limits, 'api', 'k', 11);
  assert.equal(api.filter((v) => v.ok).length, 10, 'api has its new, fresh bucket');
  assert.equal((await limits.tryConsume('login', 'k')).ok, false, 'login was not reset');
});

test('enabled: false lets everything through, and turning it back on restores the caps', async () => {
  const limits = new RateLimits(settings({ enabled: false }));
  assert.ok((await consumeTimes(limits, 'api', 'k', 50)).every((v) => v.ok));
  limits.update(settings());
  assert.equal((await consumeTimes(limits, 'api', 'k', 4)).filter((v) => v.ok).length, 3);
});
