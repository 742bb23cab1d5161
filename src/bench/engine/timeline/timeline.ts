// One SecondBucket per second of the run. Counts are deltas of the cumulative metrics between
// two flushes, so recording a request costs nothing extra except the per-second latency
// histogram, which is reset (not reallocated) at every flush.
import type { Metric } from '../metrics/registry.js';
import type { CounterSink, RateSink } from '../metrics/sinks.js';
import type { EngineRuntime } from '../runtime/runtime.js';
import type { SecondBucket } from '../types.js';

interface Totals {
  requests: number;
  errors: number;
  iterations: number;
}

export class Timeline {
  readonly buckets: SecondBucket[] = [];
  private last: Totals = { requests: 0, errors: 0, iterations: 0 };
  private readonly lastCounters = new Map<Metric, number>();

  constructor(private readonly rt: EngineRuntime) {}

  totals(): Totals {
    const m = this.rt.metrics;
    return {
      requests: (m.httpReqs.sink as CounterSink).count,
      errors: (m.httpReqFailed.sink as RateSink).passes,
      iterations: (m.iterations.sink as CounterSink).count,
    };
  }

  /** Closes the current second. With `onlyIfActive`, an idle partial second is not recorded. */
  flush(onlyIfActive = false): SecondBucket | undefined {
    const now = this.totals();
    const counters: Record<string, number> = {};
    let countersMoved = false;
    for (const metric of this.rt.registry.customCounters()) {
      const total = (metric.sink as CounterSink).count;
      const delta = total - (this.lastCounters.get(metric) ?? 0);
      if (delta !== 0) {
        counters[metric.name] = delta;
        countersMoved = true;
      }
      this.lastCounters.set(metric, total);
    }
    const bucket: SecondBucket = {
      second: this.buckets.length + 1,
      requests: now.requests - this.last.requests,
      errors: now.errors - this.last.errors,
      iterations: now.iterations - this.last.iterations,
      p50: this.rt.secondLatency.percentile(50),
      p99: this.rt.secondLatency.percentile(99),
      counters,
    };
    this.last = now;
    this.rt.secondLatency.reset();
    if (onlyIfActive && bucket.requests === 0 && bucket.iterations === 0 && !countersMoved)
      return undefined;
    this.buckets.push(bucket);
    return bucket;
  }
}
