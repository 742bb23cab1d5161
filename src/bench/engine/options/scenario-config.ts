// Turns a script's `options` into the list of scenarios to run, with k6's defaults and k6's
// shorthand rules (vus+iterations, vus+duration, stages). Each scenario is validated by a zod
// schema per executor, like the rest of gomall's configuration; the first problem becomes one
// line naming the scenario and the option.
import { z } from 'zod';
import { readDuration } from './duration.js';

export const SUPPORTED_EXECUTORS = [
  'shared-iterations',
  'per-vu-iterations',
  'constant-vus',
  'ramping-vus',
  'constant-arrival-rate',
  'ramping-arrival-rate',
] as const;

export type ExecutorName = (typeof SUPPORTED_EXECUTORS)[number];

const DEFAULT_GRACEFUL_STOP = '30s';
const DEFAULT_MAX_DURATION = '10m';

/** A k6 duration in ms; `positive` refuses 0. */
const duration = (positive = false) =>
  z.unknown().transform((value, ctx) => {
    const read = readDuration(value);
    if ('problem' in read) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: read.problem });
      return z.NEVER;
    }
    if (positive && read.ms <= 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be longer than 0' });
      return z.NEVER;
    }
    return read.ms;
  });

/** An integer ≥ min; k6 also takes one written as a string ("10"). */
const count = (min: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value),
    z
      .number({ invalid_type_error: `must be an integer ≥ ${min}` })
      .int(`must be an integer ≥ ${min}`)
      .min(min, `must be an integer ≥ ${min}`),
  );

const rate = z
  .number({ invalid_type_error: 'must be a number > 0' })
  .positive('must be a number > 0')
  .finite('must be a number > 0');

const stages = z
  .array(z.object({ duration: duration(), target: count(0) }), {
    invalid_type_error: 'must be a non-empty list',
  })
  .nonempty('must be a non-empty list')
  .transform((list) => list.map((s) => ({ durationMs: s.duration, target: s.target })));

const common = {
  exec: z.string().min(1, 'must be a non-empty string').default('default'),
  startTime: duration().default('0s'),
  gracefulStop: duration().default(DEFAULT_GRACEFUL_STOP),
  env: z.record(z.unknown()).default({}).transform(strings),
  tags: z.record(z.unknown()).default({}).transform(strings),
};

const iterationsBased = <E extends 'shared-iterations' | 'per-vu-iterations'>(executor: E) =>
  z.object({
    executor: z.literal(executor),
    vus: count(1).default(1),
    iterations: count(1).default(1),
    maxDuration: duration().default(DEFAULT_MAX_DURATION),
    ...common,
  });

const scenarioSchema = z
  .discriminatedUnion('executor', [
    iterationsBased('shared-iterations'),
    iterationsBased('per-vu-iterations'),
    z.object({
      executor: z.literal('constant-vus'),
      vus: count(1).default(1),
      duration: duration(true),
      ...common,
    }),
    z.object({
      executor: z.literal('ramping-vus'),
      startVUs: count(0).default(1),
      stages,
      gracefulRampDown: duration().default(DEFAULT_GRACEFUL_STOP),
      ...common,
    }),
    z.object({
      executor: z.literal('constant-arrival-rate'),
      rate,
      timeUnit: duration(true).default('1s'),
      duration: duration(true),
      preAllocatedVUs: count(1),
      maxVUs: count(1).optional(),
      ...common,
    }),
    z.object({
      executor: z.literal('ramping-arrival-rate'),
      startRate: count(0).default(0),
      timeUnit: duration(true).default('1s'),
      stages,
      preAllocatedVUs: count(1),
      maxVUs: count(1).optional(),
      ...common,
    }),
  ])
  .superRefine((s, ctx) => {
    if (s.executor === 'shared-iterations' && s.iterations < s.vus) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `can't be less than vus (${s.vus})`,
        path: ['iterations'],
      });
    }
  });

type ParsedScenario = z.output<typeof scenarioSchema>;

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

export function resolveScenarios(options: Raw): ScenarioConfig[] {
  const scenarios = options['scenarios'];
  if (scenarios !== undefined && scenarios !== null) {
    if (typeof scenarios !== 'object' || Array.isArray(scenarios)) {
      throw new TypeError('options.scenarios must be an object of named scenarios');
    }
    const entries = Object.entries(scenarios as Record<string, unknown>);
    if (entries.length === 0) throw new TypeError('options.scenarios is empty');
    return entries.map(([name, raw]) => resolveScenario(name, raw));
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

function resolveScenario(name: string, raw: unknown): ScenarioConfig {
  const where = `scenario "${name}"`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TypeError(`${where} must be an object`);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw new TypeError(describeIssue(where, parsed.error.issues[0]!, raw));
  return toConfig(name, parsed.data);
}

/** One line: the scenario, the option (with the value given, when there was one), the rule. */
function describeIssue(where: string, issue: z.ZodIssue, raw: object): string {
  if (issue.code === z.ZodIssueCode.invalid_union_discriminator) {
    const executor = (raw as Raw)['executor'];
    return `${where}: executor ${JSON.stringify(executor)} is not supported (supported: ${SUPPORTED_EXECUTORS.join(', ')})`;
  }
  const option = issue.path.join('.');
  let value: unknown = raw;
  for (const key of issue.path) value = (value as Raw | undefined)?.[key];
  if (value === undefined) return `${where}: ${option} is required`;
  return `${where}: ${option} ${issue.message}, got ${JSON.stringify(value)}`;
}

function toConfig(name: string, s: ParsedScenario): ScenarioConfig {
  const common: Common = {
    name,
    exec: s.exec,
    startTimeMs: s.startTime,
    gracefulStopMs: s.gracefulStop,
    env: s.env,
    tags: s.tags,
  };
  switch (s.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      return {
        ...common,
        executor: s.executor,
        vus: s.vus,
        iterations: s.iterations,
        maxDurationMs: s.maxDuration,
      };
    case 'constant-vus':
      return { ...common, executor: s.executor, vus: s.vus, durationMs: s.duration };
    case 'ramping-vus':
      return {
        ...common,
        executor: s.executor,
        startVUs: s.startVUs,
        stages: s.stages,
        gracefulRampDownMs: s.gracefulRampDown,
      };
    case 'constant-arrival-rate':
      return {
        ...common,
        executor: s.executor,
        rate: s.rate,
        timeUnitMs: s.timeUnit,
        durationMs: s.duration,
        preAllocatedVUs: s.preAllocatedVUs,
        maxVUs: Math.max(s.preAllocatedVUs, s.maxVUs ?? s.preAllocatedVUs),
      };
    case 'ramping-arrival-rate':
      return {
        ...common,
        executor: s.executor,
        startRate: s.startRate,
        timeUnitMs: s.timeUnit,
        stages: s.stages,
        preAllocatedVUs: s.preAllocatedVUs,
        maxVUs: Math.max(s.preAllocatedVUs, s.maxVUs ?? s.preAllocatedVUs),
      };
  }
}

function strings(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, String(v)]));
}
