import { randomBytes } from 'node:crypto';
import { loadConfig, type DeepPartial } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';

/** A suffix unique to one test file's run: its database, Redis prefix and queue names. */
export function isolationId(): string {
  return `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * conf/config-test.yaml plus names of this test file's own, so test files can run side by
 * side against the same MariaDB, Redis and RabbitMQ.
 */
export function testConfig(overrides: DeepPartial<Config> = {}, id = isolationId()): Config {
  const own: DeepPartial<Config> = {
    database: { name: `gomall_t_${id}` },
    redis: { key_prefix: `gomall-t-${id}:` },
    rabbitmq: { prefix: `gomall-t-${id}` },
  };
  return loadConfig({ env: 'test', environ: {}, overrides: mergeDeep(own, overrides) });
}

function mergeDeep<T>(base: T, overlay: DeepPartial<T>): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(overlay as Record<string, unknown>)) {
    const current = out[key];
    out[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current &&
      typeof current === 'object'
        ? mergeDeep(current, value as never)
        : value;
  }
  return out as T;
}
