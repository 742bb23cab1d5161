// Aggregators for k6's four metric types. Each keeps O(1) state (the Trend's histogram is
// bounded too), and names its aggregates the way k6's thresholds and summary do.
import { LogHistogram } from './histogram.js';

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

export interface Sink {
  readonly type: MetricType;
  readonly samples: number;
  add(value: number): void;
  /** An aggregate a threshold can test (count, rate, value, avg, p(95)…); undefined if unknown. */
  aggregate(name: string, testRunDurationMs: number): number | undefined;
  /** The `values` object of k6's summary JSON for this metric. */
  summaryValues(trendStats: readonly string[], testRunDurationMs: number): Record<string, number>;
}

export class CounterSink implements Sink {
  readonly type = 'counter';
  samples = 0;
  count = 0;

  add(value: number): void {
    this.samples++;
    this.count += value;
  }

  aggregate(name: string, testRunDurationMs: number): number | undefined {
    if (name === 'count') return this.count;
    if (name === 'rate') return perSecond(this.count, testRunDurationMs);
    return undefined;
  }

  summaryValues(_stats: readonly string[], testRunDurationMs: number): Record<string, number> {
    return { count: this.count, rate: perSecond(this.count, testRunDurationMs) };
  }
}

export class GaugeSink implements Sink {
  readonly type = 'gauge';
  samples = 0;
  value = 0;
  min = 0;
  max = 0;

  add(value: number): void {
    if (this.samples === 0 || value < this.min) this.min = value;
    if (this.samples === 0 || value > this.max) this.max = value;
    this.value = value;
    this.samples++;
  }

  aggregate(name: string): number | undefined {
    if (name === 'value') return this.value;
    if (name === 'min') return this.min;
    if (name === 'max') return this.max;
    return undefined;
  }

  summaryValues(): Record<string, number> {
    return { value: this.value, min: this.min, max: this.max };
  }
}

export class RateSink implements Sink {
  readonly type = 'rate';
  samples = 0;
  passes = 0;

  add(value: number): void {
    this.samples++;
    if (value !== 0) this.passes++;
  }

  get rate(): number {
    return this.samples === 0 ? 0 : this.passes / this.samples;
  }

  aggregate(name: string): number | undefined {
    return name === 'rate' ? this.rate : undefined;
  }

  summaryValues(): Record<string, number> {
    return { rate: this.rate, passes: this.passes, fails: this.samples - this.passes };
  }
}

export class TrendSink implements Sink {
  readonly type = 'trend';
  readonly histogram = new LogHistogram();

  get samples(): number {
    return this.histogram.count;
  }

  add(value: number): void {
    this.histogram.add(value);
  }

  aggregate(name: string): number | undefined {
    const h = this.histogram;
    switch (name) {
      case 'avg':
        return h.avg;
      case 'min':
        return h.count === 0 ? 0 : h.min;
      case 'max':
        return h.count === 0 ? 0 : h.max;
      case 'med':
        return h.percentile(50);
      case 'count':
        return h.count;
      default: {
        const p = parsePercentileName(name);
        return p === undefined ? undefined : h.percentile(p);
      }
    }
  }

  summaryValues(trendStats: readonly string[]): Record<string, number> {
    const values: Record<string, number> = {};
    for (const stat of trendStats) values[stat] = this.aggregate(stat) ?? 0;
    return values;
  }
}

/** "p(95)" → 95, "p(99.9)" → 99.9; anything else → undefined. */
export function parsePercentileName(name: string): number | undefined {
  const m = /^p\((\d+(?:\.\d+)?)\)$/.exec(name);
  if (m === null) return undefined;
  const p = Number(m[1]);
  return p >= 0 && p <= 100 ? p : undefined;
}

export function createSink(type: MetricType): Sink {
  switch (type) {
    case 'counter':
      return new CounterSink();
    case 'gauge':
      return new GaugeSink();
    case 'rate':
      return new RateSink();
    case 'trend':
      return new TrendSink();
  }
}

function perSecond(count: number, durationMs: number): number {
  return durationMs > 0 ? count / (durationMs / 1000) : 0;
}
