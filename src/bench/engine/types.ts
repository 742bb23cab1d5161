// Public shapes of the engine: what runScenario takes and what it returns.

/** One check as k6's summary JSON lists it. */
export interface K6SummaryCheck {
  name: string;
  path: string;
  id: string;
  passes: number;
  fails: number;
}

export interface K6SummaryGroup {
  name: string;
  path: string;
  id: string;
  groups: K6SummaryGroup[];
  checks: K6SummaryCheck[];
}

export interface K6SummaryMetric {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains: 'default' | 'time' | 'data';
  /** counter: count, rate · gauge: value, min, max · rate: rate, passes, fails · trend: summaryTrendStats. */
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

/** The object k6 hands to handleSummary() (its "legacy" end-of-test summary JSON). */
export interface K6Summary {
  root_group: K6SummaryGroup;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, K6SummaryMetric>;
  setup_data?: unknown;
}

/** One second of the run, for time-series reporting. */
export interface SecondBucket {
  /** 1 for the first second of the run. */
  second: number;
  requests: number;
  /** Requests that counted as failed (http_req_failed), network errors included. */
  errors: number;
  iterations: number;
  /** http_req_duration percentiles (ms) of the requests that completed in this second; 0 if none. */
  p50: number;
  p99: number;
  /** Increments of the script's custom Counters in this second (only those that moved). */
  counters: Record<string, number>;
}

export interface ProgressSnapshot {
  elapsedMs: number;
  iterations: number;
  requests: number;
  /** Requests completed in the last second. */
  rps: number;
  failedRequests: number;
  droppedIterations: number;
  vusActive: number;
}

export type EngineLogLevel = 'info' | 'warn' | 'error';

export interface RunScenarioOptions {
  /** Path of the k6 script (.ts or .js). */
  file: string;
  /** Variables for __ENV, over the process environment (see systemEnv). */
  env?: Record<string, string>;
  /** Include process.env in __ENV, as `k6 run` does by default. Default true. */
  systemEnv?: boolean;
  /**
   * Option overrides applied over the script's `options`, as k6's CLI flags are: setting vus,
   * duration, iterations or stages here replaces the script's scenarios with that shorthand.
   */
  options?: Record<string, unknown>;
  /** Called about once a second while the load runs. */
  onProgress?: (snapshot: ProgressSnapshot) => void;
  /** Aborting stops new iterations and waits for in-flight ones (at most gracefulStop). */
  signal?: AbortSignal;
  /** Warnings and script errors (one line per distinct error). Default: console.error. */
  log?: (level: EngineLogLevel, message: string) => void;
}

export interface ScriptErrorCount {
  message: string;
  count: number;
}

export interface EngineResult {
  summary: K6Summary;
  thresholdsFailed: boolean;
  /** The run ended early: signal, a failing abortOnFail threshold, or exec.test.abort(). */
  aborted: boolean;
  abortReason?: string;
  /** exec.test.fail() was called: the run completed but must be reported as failed. */
  markedFailed: boolean;
  /** What handleSummary() returned (file name or "stdout"/"stderr" → content); not written by the engine. */
  handleSummaryOutput: Record<string, string> | undefined;
  timeline: SecondBucket[];
  /** Exceptions thrown by iterations, grouped by message. */
  scriptErrors: ScriptErrorCount[];
}
