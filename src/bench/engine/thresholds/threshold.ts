// k6 thresholds: `options.thresholds` maps a metric (optionally with a tag filter) to one or
// more expressions "<aggregate> <op> <number>", each a string or
// `{ threshold, abortOnFail?, delayAbortEval? }`.
import { parseDuration } from '../options/duration.js';
import type { MetricRegistry } from '../metrics/registry.js';
import { parsePercentileName, type MetricType, type Sink } from '../metrics/sinks.js';

type Operator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

export interface ThresholdExpression {
  readonly source: string;
  readonly aggregate: string;
  readonly operator: Operator;
  readonly bound: number;
  readonly abortOnFail: boolean;
  readonly delayAbortEvalMs: number;
}

export interface MetricThresholds {
  /** The key as written in options.thresholds, also the metric's name in the summary. */
  readonly key: string;
  readonly sink: Sink;
  readonly expressions: readonly ThresholdExpression[];
}

const EXPRESSION =
  /^\s*(count|rate|value|avg|min|max|med|p\(\d+(?:\.\d+)?\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

const AGGREGATES: Readonly<Record<MetricType, string>> = {
  counter: 'count, rate',
  gauge: 'value',
  rate: 'rate',
  trend: 'avg, min, max, med, p(N)',
};

export function parseThresholds(option: unknown, registry: MetricRegistry): MetricThresholds[] {
  if (option === undefined || option === null) return [];
  if (typeof option !== 'object' || Array.isArray(option)) {
    throw new TypeError(
      'options.thresholds must be an object mapping metric names to threshold lists',
    );
  }
  const result: MetricThresholds[] = [];
  for (const [key, raw] of Object.entries(option as Record<string, unknown>)) {
    const sink = resolveSink(key, registry);
    const list = Array.isArray(raw) ? raw : [raw];
    const expressions = list.map((entry) => parseEntry(key, entry, sink.type));
    result.push({ key, sink, expressions });
  }
  return result;
}

function resolveSink(key: string, registry: MetricRegistry): Sink {
  try {
    return key.includes('{') ? registry.submetric(key).sink : requireMetric(key, registry);
  } catch (err) {
    throw new TypeError(`invalid threshold on "${key}": ${(err as Error).message}`);
  }
}

function requireMetric(name: string, registry: MetricRegistry): Sink {
  const metric = registry.get(name.trim());
  if (metric === undefined)
    throw new TypeError(`no metric named "${name}" (declare custom metrics in the init context)`);
  return metric.sink;
}

function parseEntry(key: string, entry: unknown, type: MetricType): ThresholdExpression {
  let source: unknown = entry;
  let abortOnFail = false;
  let delayAbortEvalMs = 0;
  if (typeof entry === 'object' && entry !== null) {
    const obj = entry as { threshold?: unknown; abortOnFail?: unknown; delayAbortEval?: unknown };
    source = obj.threshold;
    abortOnFail = obj.abortOnFail === true;
    if (obj.delayAbortEval !== undefined) {
      delayAbortEvalMs = parseDuration(obj.delayAbortEval, `threshold "${key}" delayAbortEval`);
    }
  }
  if (typeof source !== 'string') {
    throw new TypeError(
      `invalid threshold on "${key}": expected a string like "p(95)<500", got ${JSON.stringify(source)}`,
    );
  }
  const m = EXPRESSION.exec(source);
  if (m === null) {
    throw new TypeError(
      `invalid threshold "${source}" on "${key}": expected "<aggregate> <op> <number>", e.g. "p(95)<500"`,
    );
  }
  const aggregate = (m[1] as string).toLowerCase();
  if (!appliesTo(aggregate, type)) {
    throw new TypeError(
      `invalid threshold "${source}" on "${key}": ${aggregate} does not apply to a ${type} metric (use ${AGGREGATES[type]})`,
    );
  }
  return {
    source,
    aggregate,
    operator: m[2] as Operator,
    bound: Number(m[3]),
    abortOnFail,
    delayAbortEvalMs,
  };
}

function appliesTo(aggregate: string, type: MetricType): boolean {
  switch (type) {
    case 'counter':
      return aggregate === 'count' || aggregate === 'rate';
    case 'gauge':
      return aggregate === 'value';
    case 'rate':
      return aggregate === 'rate';
    case 'trend':
      return (
        ['avg', 'min', 'max', 'med'].includes(aggregate) ||
        parsePercentileName(aggregate) !== undefined
      );
  }
}

export function holds(expression: ThresholdExpression, actual: number): boolean {
  const bound = expression.bound;
  switch (expression.operator) {
    case '<':
      return actual < bound;
    case '<=':
      return actual <= bound;
    case '>':
      return actual > bound;
    case '>=':
      return actual >= bound;
    case '==':
    case '===':
      return actual === bound;
    case '!=':
      return actual !== bound;
  }
}
