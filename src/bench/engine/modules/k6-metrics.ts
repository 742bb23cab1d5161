// The `k6/metrics` module: Counter, Gauge, Rate and Trend, declared in the init context (as k6
// requires) and backed by the run's metric registry.
import type { Metric } from '../metrics/registry.js';
import type { MetricType } from '../metrics/sinks.js';
import { SampleTags } from '../runtime/sample-tags.js';
import type { EngineRuntime } from '../runtime/runtime.js';

export function createMetricsModule(rt: EngineRuntime): Record<string, unknown> {
  function metricClass(type: MetricType, toNumber: (v: unknown) => number) {
    return class {
      readonly name: string;
      readonly #metric: Metric;

      constructor(name: string, isTime?: boolean) {
        rt.requireInit(`new ${type[0]?.toUpperCase()}${type.slice(1)}()`);
        this.name = name;
        this.#metric = rt.registry.define(name, type, isTime === true ? 'time' : 'default');
      }

      add(value: unknown, tags?: Record<string, string>): boolean {
        const metric = this.#metric;
        metric.add(
          toNumber(value),
          metric.subs.length === 0 ? undefined : new SampleTags(rt.currentVu(), tags),
        );
        return true;
      }
    };
  }

  const numeric = (v: unknown): number => {
    const n = typeof v === 'boolean' ? Number(v) : (v as number);
    if (typeof n !== 'number' || Number.isNaN(n))
      throw new TypeError(`metric.add(): expected a number, got ${String(v)}`);
    return n;
  };
  const truthy = (v: unknown): number => (v ? 1 : 0);

  return {
    Counter: metricClass('counter', numeric),
    Gauge: metricClass('gauge', numeric),
    Rate: metricClass('rate', truthy),
    Trend: metricClass('trend', numeric),
  };
}
