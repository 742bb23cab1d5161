import { EventEmitter } from 'node:events';
import type { Config } from './schema.js';

/**
 * What `serve` applies on reload: dotted keys, a section name meaning all its keys. Each is
 * read on every use (or has a 'change' subscriber); the rest of `seckill` is read once at
 * start (sold_out_ttl_ms, confirm_window, confirmed_max_age_ms, hot_path) or belongs to
 * the consumer.
 */
export const SERVE_LIVE_KEYS = [
  'log.level',
  'ratelimit',
  'cache',
  'seckill.outbox_limit',
  'seckill.pending_max_age_ms',
  'seckill.idempotency_ttl_seconds',
] as const;

/** What `consume` applies on reload: its batching and retry tunables, read per batch. */
export const CONSUME_LIVE_KEYS = [
  'log.level',
  'seckill.batch_size',
  'seckill.batch_max_wait_ms',
  'seckill.consumer_concurrency',
  'seckill.max_attempts',
  'seckill.pending_max_age_ms',
  'seckill.confirmed_max_age_ms',
] as const;

export interface ReloadOutcome {
  /** Dotted keys whose new values are now in effect. */
  applied: string[];
  /** Dotted keys that changed in the files but only take effect after a restart. */
  needsRestart: string[];
}

export interface LiveConfigEvents {
  change: [next: Config, previous: Config, applied: string[]];
}

/**
 * The config of a running process, re-read on SIGHUP. The keys this process reads live are
 * updated in place, so every component holding the config object reads the new values on its
 * next use; components with derived state (limiters, the logger) subscribe to 'change'. Any
 * other changed key keeps its running value and is reported as needing a restart, so the
 * report never claims a change that is not in effect. A reload that fails validation throws
 * before anything changes, so the old config stays.
 */
export class LiveConfig extends EventEmitter<LiveConfigEvents> {
  constructor(
    private readonly config: Config,
    private readonly reread: () => Config,
    private readonly liveKeys: readonly string[],
  ) {
    super();
  }

  get current(): Config {
    return this.config;
  }

  reload(): ReloadOutcome {
    const next = this.reread();
    const previous = structuredClone(this.config);
    const changed = diffKeys(previous, next);
    const isLive = (key: string) =>
      this.liveKeys.some((live) => key === live || key.startsWith(`${live}.`));
    const applied = changed.filter(isLive);
    for (const key of applied) setPath(this.config, key, getPath(next, key));
    if (applied.length > 0) this.emit('change', this.config, previous, applied);
    return { applied, needsRestart: changed.filter((key) => !isLive(key)) };
  }
}

type Tree = Record<string, unknown>;

function getPath(tree: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree);
}

function setPath(tree: Tree, key: string, value: unknown): void {
  const parts = key.split('.');
  const parent = parts.slice(0, -1).reduce<Tree>((node, part) => node[part] as Tree, tree);
  parent[parts[parts.length - 1]!] = structuredClone(value);
}

/** Dotted paths of every leaf that differs between two configs. */
export function diffKeys(a: unknown, b: unknown, path = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(a) || !isObject(b)) return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((key) => diffKeys(a[key], b[key], path ? `${path}.${key}` : key));
}
