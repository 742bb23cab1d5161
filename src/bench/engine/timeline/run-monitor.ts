// The run's clock while load is generated: once a second it closes a timeline bucket, samples
// the vus gauges and reports progress; several times a second it checks abortOnFail thresholds.
import type { CounterSink } from '../metrics/sinks.js';
import type { EngineRuntime } from '../runtime/runtime.js';
import { findAbortingThreshold } from '../thresholds/evaluate.js';
import type { MetricThresholds } from '../thresholds/threshold.js';
import type { ProgressSnapshot } from '../types.js';
import { Timeline } from './timeline.js';

const SECOND_MS = 1000;
const ABORT_CHECK_MS = 200;
// First vus sample once executors have started their VUs, so short runs report them too.
const FIRST_VUS_SAMPLE_MS = 50;

export class RunMonitor {
  readonly timeline: Timeline;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly rt: EngineRuntime,
    private readonly thresholds: readonly MetricThresholds[],
    private readonly onProgress: ((snapshot: ProgressSnapshot) => void) | undefined,
  ) {
    this.timeline = new Timeline(rt);
  }

  start(): void {
    const rt = this.rt;
    this.timers.push(setTimeout(() => this.sampleVus(), FIRST_VUS_SAMPLE_MS));
    this.timers.push(
      setInterval(() => {
        const bucket = this.timeline.flush();
        this.sampleVus();
        this.report(bucket?.requests ?? 0);
      }, SECOND_MS),
    );
    if (this.thresholds.some((t) => t.expressions.some((e) => e.abortOnFail))) {
      this.timers.push(
        setInterval(() => {
          const failing = findAbortingThreshold(this.thresholds, rt.elapsedMs());
          if (failing !== undefined) {
            rt.abort(
              `threshold "${failing.expression.source}" on ${failing.key} failed (value ${round(failing.actual)}) and is marked abortOnFail`,
            );
          }
        }, ABORT_CHECK_MS),
      );
    }
    for (const timer of this.timers) timer.unref();
  }

  /** Stops the clock and records the last, partial second if anything happened in it. */
  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    this.timeline.flush(true);
    if (this.rt.metrics.vus.sink.samples === 0) this.sampleVus();
  }

  private sampleVus(): void {
    const m = this.rt.metrics;
    m.vus.sink.add(this.rt.instance.vusActive);
    m.vusMax.sink.add(this.rt.instance.vusInitialized);
  }

  private report(rps: number): void {
    if (this.onProgress === undefined) return;
    const totals = this.timeline.totals();
    try {
      this.onProgress({
        elapsedMs: this.rt.elapsedMs(),
        iterations: totals.iterations,
        requests: totals.requests,
        rps,
        failedRequests: totals.errors,
        droppedIterations: (this.rt.metrics.droppedIterations.sink as CounterSink).count,
        vusActive: this.rt.instance.vusActive,
      });
    } catch (err) {
      this.rt.log('warn', `onProgress callback failed: ${(err as Error).message}`);
    }
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
