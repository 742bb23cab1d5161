// One scenario while it runs: its VUs, its iteration counter, and its stop protocol.
//
// Stopping has two steps, as in k6. First no new iteration starts (the executor ran out of
// work, its duration elapsed, or the run is aborted); in-flight iterations may finish. If they
// have not finished after gracefulStop (time-triggered stops only), they are interrupted: their
// VUs are killed, so their pending requests and sleeps never settle and they are not counted.
import type { ScenarioConfig } from '../options/scenario-config.js';
import { TestAbortSignal, type EngineRuntime } from '../runtime/runtime.js';
import type { ScenarioInfo, VuState } from '../runtime/vu.js';
import { isThenable } from '../runtime/thenable.js';

export type IterationFn = (data: unknown) => unknown;

// A VU whose iterations never wait on I/O would starve timers (including the one that ends
// the scenario); it hands the event loop a turn at least this often.
const YIELD_EVERY_MS = 50;

export class ScenarioRun implements ScenarioInfo {
  readonly name: string;
  readonly executor: string;
  readonly env: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  startTime = 0;
  /** No new iteration may start. */
  stopping = false;
  /** Scenario-wide count of started iterations: the next one's exec.scenario.iterationInTest. */
  started = 0;
  progress: () => number = () => 0;
  readonly done: Promise<void>;
  private inFlight = 0;
  private activeLoops = 0;
  private finished = false;
  private resolveDone!: () => void;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly vus: VuState[] = [];
  private readonly onStopHooks: Array<() => void> = [];

  constructor(
    readonly config: ScenarioConfig,
    private readonly rt: EngineRuntime,
    private readonly fn: IterationFn,
    private readonly data: unknown,
  ) {
    this.name = config.name;
    this.executor = config.executor;
    this.env = config.env;
    this.tags = config.tags;
    this.done = new Promise<void>((resolve) => {
      this.resolveDone = resolve;
    });
  }

  markStarted(): void {
    this.startTime = Date.now();
  }

  newVu(): VuState {
    const vu = this.rt.newVu(this);
    this.vus.push(vu);
    return vu;
  }

  /** Runs `ms` from now, unless the scenario has finished by then (for a few timers, not per tick). */
  after(ms: number, action: () => void): void {
    const timer = setTimeout(action, ms);
    this.timers.push(timer);
  }

  /** Called when the scenario stops starting iterations, to release executor resources. */
  onStop(hook: () => void): void {
    this.onStopHooks.push(hook);
  }

  /**
   * Stops starting iterations. With `graceful`, in-flight ones get gracefulStop to finish
   * before they are interrupted; without (the executor simply ran out of work), they may
   * take as long as they need.
   */
  stop(graceful: boolean): void {
    if (!this.stopping) {
      this.stopping = true;
      for (const hook of this.onStopHooks) hook();
    }
    if (this.finished) return;
    if (this.inFlight === 0) {
      this.finish();
      return;
    }
    if (graceful) this.after(this.config.gracefulStopMs, () => this.interrupt());
  }

  /** A VU loop: iterations back to back on one VU while `claim()` grants one. */
  loop(vu: VuState, claim: () => boolean): Promise<void> {
    return this.rt.als.run(vu, async () => {
      const instance = this.rt.instance;
      instance.vusActive++;
      this.activeLoops++;
      let lastYield = performance.now();
      while (!this.stopping && claim()) {
        // The iteration is inlined here (same steps as iterateOnce) to spare a promise per
        // iteration on the hottest path of the engine.
        const begun = this.begin(vu);
        try {
          const result = this.fn(this.data);
          if (isThenable(result)) await result;
          if (vu.pendingSleep !== null) await vu.pendingSleep;
        } catch (err) {
          this.reportError(err);
        }
        const ended = this.end(vu, begun);
        if (ended - lastYield > YIELD_EVERY_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
      }
      instance.vusActive--;
      this.activeLoops--;
    });
  }

  /** Starts one iteration on an idle VU (arrival-rate executors); resolves when it ended. */
  startOn(vu: VuState): Promise<void> {
    return this.rt.als.run(vu, () => this.iterateOnce(vu));
  }

  private async iterateOnce(vu: VuState): Promise<void> {
    const begun = this.begin(vu);
    try {
      const result = this.fn(this.data);
      if (isThenable(result)) await result;
      if (vu.pendingSleep !== null) await vu.pendingSleep;
    } catch (err) {
      this.reportError(err);
    }
    this.end(vu, begun);
  }

  private begin(vu: VuState): number {
    vu.iterationInTest = this.started++;
    vu.pendingSleep = null;
    this.inFlight++;
    return performance.now();
  }

  /** Books a finished iteration; returns the time it ended. */
  private end(vu: VuState, begun: number): number {
    const now = performance.now();
    vu.iterationInScenario++;
    vu.iterationInInstance++;
    if (vu.dead) return now; // interrupted meanwhile: already counted as such
    const rt = this.rt;
    this.inFlight--;
    rt.metrics.iterations.sink.add(1);
    rt.metrics.iterationDuration.sink.add(now - begun);
    rt.instance.iterationsCompleted++;
    if (this.stopping && this.inFlight === 0) this.finish();
    return now;
  }

  private reportError(err: unknown): void {
    if (!(err instanceof TestAbortSignal))
      this.rt.errors.report(err, `scenario "${this.name}" iteration`);
  }

  private interrupt(): void {
    if (this.finished) return;
    this.rt.instance.iterationsInterrupted += this.inFlight;
    this.rt.log(
      'warn',
      `scenario "${this.name}": ${this.inFlight} iteration(s) interrupted after gracefulStop`,
    );
    for (const vu of this.vus) vu.kill();
    // Killed loops never reach their end, so they leave the active count here.
    this.rt.instance.vusActive -= this.activeLoops;
    this.activeLoops = 0;
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.resolveDone();
  }
}
