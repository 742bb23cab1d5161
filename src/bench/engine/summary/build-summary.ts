// Builds the end-of-test summary in the JSON shape k6 hands to handleSummary(): root_group,
// options, state and metrics (type, contains, values and threshold verdicts).
import type { GroupNode } from '../checks/group-tree.js';
import type { MetricRegistry } from '../metrics/registry.js';
import type { Sink } from '../metrics/sinks.js';
import type { ThresholdVerdict } from '../thresholds/evaluate.js';
import type { K6Summary, K6SummaryMetric } from '../types.js';

export interface SummaryInput {
  registry: MetricRegistry;
  rootGroup: GroupNode;
  verdicts: readonly ThresholdVerdict[];
  trendStats: readonly string[];
  testRunDurationMs: number;
  setupData: unknown;
}

export function buildSummary(input: SummaryInput): K6Summary {
  const verdictsByKey = new Map<string, Record<string, { ok: boolean }>>();
  for (const v of input.verdicts) {
    const entry = verdictsByKey.get(v.key) ?? {};
    entry[v.expression.source] = { ok: (entry[v.expression.source]?.ok ?? true) && v.ok };
    verdictsByKey.set(v.key, entry);
  }

  const metrics: Record<string, K6SummaryMetric> = {};
  const add = (name: string, sink: Sink, contains: K6SummaryMetric['contains']): void => {
    const thresholds = verdictsByKey.get(name);
    // Like k6, list what was measured, plus anything a threshold was set on.
    if (sink.samples === 0 && thresholds === undefined) return;
    const metric: K6SummaryMetric = {
      type: sink.type,
      contains,
      values: sink.summaryValues(input.trendStats, input.testRunDurationMs),
    };
    if (thresholds !== undefined) metric.thresholds = thresholds;
    metrics[name] = metric;
  };
  for (const metric of input.registry.all()) {
    add(metric.name, metric.sink, metric.contains);
    for (const sub of metric.subs) add(sub.name, sub.sink, metric.contains);
  }

  const summary: K6Summary = {
    root_group: input.rootGroup.toSummary(),
    options: { summaryTrendStats: [...input.trendStats], summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: input.testRunDurationMs },
    metrics,
  };
  if (input.setupData !== undefined) summary.setup_data = input.setupData;
  return summary;
}
