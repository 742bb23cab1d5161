// Turns a script's `options` into the list of scenarios to run, with k6's defaults and k6's
// shorthand rules (vus+iterations, vus+duration, stages), and rejects what the engine cannot run.
import { parseDuration } from './duration.js';

export const SUPPORTED_EXECUTORS = [
  'shared-iterations',
  'per-vu-iterations',
  'constant-vus',
  'ramping-vus',
  'constant-arrival-rate',
  'ramping-arrival-rate',
] as const;

export type ExecutorName = (typeof SUPPORTED_EXECUTORS)[number];

export interface Stage {
  readonly durationMs: number;
  readonly target: number;
}

interface Common {
  readonly name: string;
  /** Name of the exported function each iteration calls. */
  readonly exec: string;
  readonly startTimeMs: number;
  readonly gracefulStopMs: number;
  readonly env: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

export type ScenarioConfig = Common &
  (
    | {
        readonly executor: 'shared-iterations' | 'per-vu-iterations';
        vus: number;
        iterations: number;
        maxDurationMs: number;
      }
    | { readonly executor: 'constant-vus'; vus: number; durationMs: number }
    | {
        readonly executor: 'ramping-vus';
        startVUs: number;
        stages: Stage[];
        gracefulRampDownMs: number;
      }
    | {
        readonly executor: 'constant-arrival-rate';
        rate: number;
        timeUnitMs: number;
        durationMs: number;
        preAllocatedVUs: number;
        maxVUs: number;
      }
    | {
        readonly executor: 'ramping-arrival-rate';
        startRate: number;
        timeUnitMs: number;
        stages: Stage[];
        preAllocatedVUs: number;
        maxVUs: number;
      }
  );

type Raw = Record<string, unknown>;

const DEFAULT_GRACEFUL_STOP = '30s';
const DEFAULT_MAX_DURATION = '10m';

export function resolveScenarios(options: Raw): ScenarioConfig[] {
  const scenarios = options['scenarios'];
  if (scenarios !== undefined && scenarios !== null) {
    if (typeof scenarios !== 'object' || Array.isArray(scenarios)) {
      throw new TypeError('options.scenarios must be an object of named scenarios');
    }
    const entries = Object.entries(scenarios as Record<string, unknown>);
    if (entries.length === 0) throw new TypeError('options.scenarios is empty');
    return entries.map(([name, raw]) => resolveScenario(name, asObject(raw, `scenario "${name}"`)));
  }
  return [resolveScenario('default', shorthandScenario(options))];
}

/** k6's execution shortcuts: stages → ramping-vus, iterations → shared-iterations, duration → constant-vus. */
function shorthandScenario(options: Raw): Raw {
  const vus = options['vus'] ?? 1;
  if (options['stages'] !== undefined) {
    return { executor: 'ramping-vus', startVUs: vus, stages: options['stages'] };
  }
  if (options['iterations'] !== undefined) {
    const maxDuration = options['duration'] ?? DEFAULT_MAX_DURATION;
    return { executor: 'shared-iterations', vus, iterations: options['iterations'], maxDuration };
  }
  if (
    options['duration'] !== undefined &&
    options['duration'] !== '0s' &&
    options['duration'] !== 0
  ) {
    return { executor: 'constant-vus', vus, duration: options['duration'] };
  }
  return { executor: 'shared-iterations', vus, iterations: 1 };
}

function resolveScenario(name: string, raw: Raw): ScenarioConfig {
  const where = `scenario "${name}"`;
  const executor = raw['executor'];
  if (
    typeof executor !== 'string' ||
    !(SUPPORTED_EXECUTORS as readonly string[]).includes(executor)
  ) {
    throw new TypeError(
      `${where}: executor ${JSON.stringify(executor)} is not supported (supported: ${SUPPORTED_EXECUTORS.join(', ')})`,
    );
  }
  const common: Common = {
    name,
    exec: optionalString(raw['exec'], `${where} exec`) ?? 'default',
    startTimeMs: parseDuration(raw['startTime'] ?? '0s', `${where} startTime`),
    gracefulStopMs: parseDuration(
      raw['gracefulStop'] ?? DEFAULT_GRACEFUL_STOP,
      `${where} gracefulStop`,
    ),
    env: stringRecord(raw['env'], `${where} env`),
    tags: stringRecord(raw['tags'], `${where} tags`),
  };
  switch (executor as ExecutorName) {
    case 'shared-iterations':
    case 'per-vu-iterations': {
      const vus = count(raw['vus'] ?? 1, `${where} vus`, 1);
      const iterations = count(raw['iterations'] ?? 1, `${where} iterations`, 1);
      if (executor === 'shared-iterations' && iterations < vus) {
        throw new TypeError(`${where}: iterations (${iterations}) can't be less than vus (${vus})`);
      }
      const maxDurationMs = parseDuration(
        raw['maxDuration'] ?? DEFAULT_MAX_DURATION,
        `${where} maxDuration`,
      );
      return {
        ...common,
        executor: executor as 'shared-iterations',
        vus,
        iterations,
        maxDurationMs,
      };
    }
    case 'constant-vus':
      return {
        ...common,
        executor: 'constant-vus',
        vus: count(raw['vus'] ?? 1, `${where} vus`, 1),
        durationMs: requiredDuration(raw['duration'], `${where} duration`),
      };
    case 'ramping-vus':
      return {
        ...common,
        executor: 'ramping-vus',
        startVUs: count(raw['startVUs'] ?? 1, `${where} startVUs`, 0),
        stages: stages(raw['stages'], where),
        gracefulRampDownMs: parseDuration(
          raw['gracefulRampDown'] ?? DEFAULT_GRACEFUL_STOP,
          `${where} gracefulRampDown`,
        ),
      };
    case 'constant-arrival-rate': {
      const preAllocatedVUs = count(raw['preAllocatedVUs'], `${where} preAllocatedVUs`, 1);
      return {
        ...common,
        executor: 'constant-arrival-rate',
        rate: positive(raw['rate'], `${where} rate`),
        timeUnitMs: requiredDuration(raw['timeUnit'] ?? '1s', `${where} timeUnit`),
        durationMs: requiredDuration(raw['duration'], `${where} duration`),
        preAllocatedVUs,
        maxVUs: Math.max(
          preAllocatedVUs,
          count(raw['maxVUs'] ?? preAllocatedVUs, `${where} maxVUs`, 1),
        ),
      };
    }
    case 'ramping-arrival-rate': {
      const preAllocatedVUs = count(raw['preAllocatedVUs'], `${where} preAllocatedVUs`, 1);
      return {
        ...common,
        executor: 'ramping-arrival-rate',
        startRate: count(raw['startRate'] ?? 0, `${where} startRate`, 0),
        timeUnitMs: requiredDuration(raw['timeUnit'] ?? '1s', `${where} timeUnit`),
        stages: stages(raw['stages'], where),
        preAllocatedVUs,
        maxVUs: Math.max(
          preAllocatedVUs,
          count(raw['maxVUs'] ?? preAllocatedVUs, `${where} maxVUs`, 1),
        ),
      };
    }
  }
}

function stages(value: unknown, where: string): Stage[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new TypeError(`${where}: stages must be a non-empty list`);
  return value.map((raw, i) => {
    const stage = asObject(raw, `${where} stage ${i}`);
    return {
      durationMs: parseDuration(stage['duration'], `${where} stage ${i} duration`),
      target: count(stage['target'], `${where} stage ${i} target`, 0),
    };
  });
}

function asObject(value: unknown, what: string): Raw {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${what} must be an object`);
  }
  return value as Raw;
}

function count(value: unknown, what: string, min: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw new TypeError(`${what} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function positive(value: unknown, what: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new TypeError(`${what} must be a number > 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

function requiredDuration(value: unknown, what: string): number {
  if (value === undefined) throw new TypeError(`${what} is required`);
  const ms = parseDuration(value, what);
  if (ms <= 0) throw new TypeError(`${what} must be longer than 0`);
  return ms;
}

function optionalString(value: unknown, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new TypeError(`${what} must be a non-empty string`);
  return value;
}

function stringRecord(value: unknown, what: string): Record<string, string> {
  if (value === undefined) return {};
  const obj = asObject(value, what);
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, String(v)]));
}
