// The script's exported `options` as the engine reads them: caller overrides on top (with k6's
// CLI rule that an execution shortcut replaces the script's scenarios), trend stats to report,
// and warnings for options the engine does not implement.
import { z } from 'zod';
import type { ScenarioConfig } from './scenario-config.js';
import { parsePercentileName } from '../metrics/sinks.js';

/** k6's default summaryTrendStats plus p(99), which gomall reports. */
export const DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'] as const;

const SHORTCUTS = ['vus', 'duration', 'iterations', 'stages'] as const;

const HANDLED = new Set([
  'scenarios',
  ...SHORTCUTS,
  'thresholds',
  'summaryTrendStats',
  'summaryTimeUnit',
  'discardResponseBodies',
  // Limits the engine does not enforce but that change nothing when a run behaves.
  'setupTimeout',
  'teardownTimeout',
]);

export function mergeOptions(
  script: unknown,
  overrides: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const base =
    typeof script === 'object' && script !== null ? { ...(script as Record<string, unknown>) } : {};
  if (overrides === undefined) return base;
  const merged = { ...base, ...overrides };
  if (
    SHORTCUTS.some((key) => overrides[key] !== undefined) &&
    overrides['scenarios'] === undefined
  ) {
    delete merged['scenarios'];
    // An override shortcut stands alone: a script's `iterations` must not turn `duration` into maxDuration.
    for (const key of SHORTCUTS) if (overrides[key] === undefined) delete merged[key];
  }
  return merged;
}

export function unsupportedOptionKeys(options: Record<string, unknown>): string[] {
  return Object.keys(options).filter((key) => !HANDLED.has(key) && options[key] !== undefined);
}

const trendStatsSchema = z.array(z.string().refine(isTrendStat)).optional();

export function trendStats(options: Record<string, unknown>): string[] {
  const parsed = trendStatsSchema.safeParse(options['summaryTrendStats']);
  if (!parsed.success) {
    throw new TypeError(
      `options.summaryTrendStats must list avg, min, med, max, count or p(N), got ${JSON.stringify(options['summaryTrendStats'])}`,
    );
  }
  return parsed.data ?? [...DEFAULT_TREND_STATS];
}

function isTrendStat(stat: string): boolean {
  return (
    ['avg', 'min', 'med', 'max', 'count'].includes(stat) || parsePercentileName(stat) !== undefined
  );
}

/** Upper bound of VUs alive at once: one keep-alive connection each is enough. */
export function maxVus(scenarios: readonly ScenarioConfig[]): number {
  let total = 0;
  for (const s of scenarios) {
    switch (s.executor) {
      case 'shared-iterations':
      case 'per-vu-iterations':
      case 'constant-vus':
        total += s.vus;
        break;
      case 'ramping-vus':
        total += Math.max(s.startVUs, ...s.stages.map((stage) => stage.target));
        break;
      case 'constant-arrival-rate':
      case 'ramping-arrival-rate':
        total += s.maxVUs;
        break;
    }
  }
  return total;
}
