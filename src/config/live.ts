import { EventEmitter } from 'node:events';
import type { Config } from './schema.js';

/** Sections a running process applies on reload; anything else needs a restart. */
export const LIVE_SECTIONS = ['log', 'ratelimit', 'seckill', 'cache'] as const;
type LiveSection = (typeof LIVE_SECTIONS)[number];

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
 * The config of a running process, re-read on SIGHUP. The live sections (log level, rate
 * limits, seckill tunables, cache TTLs) are updated in place, so every component holding the
 * config object reads the new values on its next use; components with derived state
 * (limiters, the logger) subscribe to 'change'. A reload that fails validation throws before
 * anything changes, so the old config stays.
 */
export class LiveConfig extends EventEmitter<LiveConfigEvents> {
  constructor(
    private readonly config: Config,
    private readonly reread: () => Config,
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
    const isLive = (key: string) => LIVE_SECTIONS.includes(key.split('.')[0] as LiveSection);
    const applied = changed.filter(isLive);
    for (const section of LIVE_SECTIONS) Object.assign(this.config[section], next[section]);
    if (applied.length > 0) this.emit('change', this.config, previous, applied);
    return { applied, needsRestart: changed.filter((key) => !isLive(key)) };
  }
}

/** Dotted paths of every leaf that differs between two configs. */
export function diffKeys(a: unknown, b: unknown, path = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(a) || !isObject(b)) return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((key) => diffKeys(a[key], b[key], path ? `${path}.${key}` : key));
}
