// Judges thresholds against the live sinks: at the end of the run for the verdict, and while it
// runs for the ones marked abortOnFail.
import { holds, type MetricThresholds, type ThresholdExpression } from './threshold.js';

export interface ThresholdVerdict {
  readonly key: string;
  readonly expression: ThresholdExpression;
  readonly ok: boolean;
  readonly actual: number;
}

export function evaluateThresholds(
  all: readonly MetricThresholds[],
  testRunDurationMs: number,
): ThresholdVerdict[] {
  const verdicts: ThresholdVerdict[] = [];
  for (const metric of all) {
    for (const expression of metric.expressions) {
      const actual = metric.sink.aggregate(expression.aggregate, testRunDurationMs) ?? 0;
      verdicts.push({ key: metric.key, expression, ok: holds(expression, actual), actual });
    }
  }
  return verdicts;
}

/** The first abortOnFail threshold that fails now and is past its delayAbortEval, if any. */
export function findAbortingThreshold(
  all: readonly MetricThresholds[],
  elapsedMs: number,
): ThresholdVerdict | undefined {
  for (const metric of all) {
    for (const expression of metric.expressions) {
      if (!expression.abortOnFail || elapsedMs < expression.delayAbortEvalMs) continue;
      const actual = metric.sink.aggregate(expression.aggregate, elapsedMs) ?? 0;
      if (!holds(expression, actual)) return { key: metric.key, expression, ok: false, actual };
    }
  }
  return undefined;
}
