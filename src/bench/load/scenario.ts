// --scenario: a shipped scenario by name, or a k6 script by path. The kind decides what the
// bench prepares and verifies: seckill activities, or catalog stock for browse-and-buy.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../../infra/paths.js';

export const SHIPPED_SCENARIOS = ['flash-sale', 'multi-sale', 'browse-and-buy'] as const;
export type ShippedScenario = (typeof SHIPPED_SCENARIOS)[number];

export interface ScenarioChoice {
  /** The name, or the path as given. */
  label: string;
  file: string;
  kind: 'seckill' | 'catalog';
  /** How iterations map to products, for the demand behind the undersell check. */
  spread: 'first' | 'round-robin' | 'unknown';
  /** Whether a warm-up against a product without a sale is harmless (it is for the seckill scenarios). */
  warmUp: boolean;
}

export function resolveScenario(value: string): ScenarioChoice {
  if ((SHIPPED_SCENARIOS as readonly string[]).includes(value)) {
    const name = value as ShippedScenario;
    return {
      label: name,
      file: join(packageRoot(), 'scenarios', `${name}.ts`),
      kind: name === 'browse-and-buy' ? 'catalog' : 'seckill',
      spread: name === 'flash-sale' ? 'first' : name === 'multi-sale' ? 'round-robin' : 'unknown',
      warmUp: name !== 'browse-and-buy',
    };
  }
  const file = resolve(value);
  if (!existsSync(file)) {
    throw new Error(
      `--scenario: "${value}" is neither ${SHIPPED_SCENARIOS.join(', ')} nor an existing file`,
    );
  }
  // What a script of someone else's does with a product id is unknown: no warm-up.
  return { label: value, file, kind: 'seckill', spread: 'unknown', warmUp: false };
}

export interface ShapeFlags {
  buyers: number;
  vus?: number | undefined;
  rate?: number | undefined;
  duration?: string | undefined;
}

/**
 * The load-shape variables of scenarios/lib/scenario-from-env.ts. Without --rate or
 * --duration the scenario's own shape runs (seckill: every buyer once); --rate is a constant
 * arrival rate (for as long as it takes every buyer to try once, unless --duration says);
 * --duration alone is constant VUs.
 */
export function shapeEnv(flags: ShapeFlags): Record<string, string> {
  const env: Record<string, string> = {};
  if (flags.vus !== undefined) env['VUS'] = String(flags.vus);
  if (flags.rate !== undefined) {
    env['EXECUTOR'] = 'constant-arrival-rate';
    env['RATE'] = String(flags.rate);
    env['DURATION'] = flags.duration ?? `${Math.max(1, Math.ceil(flags.buyers / flags.rate))}s`;
  } else if (flags.duration !== undefined) {
    env['EXECUTOR'] = 'constant-vus';
    env['DURATION'] = flags.duration;
  }
  return env;
}
