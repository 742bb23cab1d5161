// What `gomall bench --baseline bare` reports: per run, POST /api/seckill against a bare
// node:http server under the same load tool, the drain, memory and invariants; then medians.
import type { InvariantResult } from '../verify/invariants.js';
import type { PhaseTiming } from '../types.js';

export type LoadToolName = 'wrk' | 'builtin';

/** One measured load. Latencies in ms. */
export interface EndpointLoad {
  requests: number;
  rate: number;
  p50_ms: number;
  p99_ms: number;
  /** Answers that were not a 202. */
  non_202: number;
  /** Requests without an answer: refused, reset, timed out. */
  transport_errors: number;
}

export interface EndpointDrain {
  drained: boolean;
  /** Reservations waiting when the consumer started consuming. */
  orders: number;
  seconds: number;
  per_s: number;
}

export interface EndpointRun {
  run: number;
  product_id: number;
  bare: EndpointLoad;
  gomall: EndpointLoad;
  /** gomall rate ÷ bare rate. */
  ratio: number;
  /** 202 answers gomall counted (its seckill_attempts_total{result="queued"}), warm-up included. */
  queued: number | null;
  drain: EndpointDrain;
  /** Peak RSS of the server during its load, null where /proc is missing. */
  server_rss_mb: number | null;
  invariants: InvariantResult[];
  hold: boolean;
}

export interface EndpointMedian {
  bare_rps: number;
  gomall_rps: number;
  ratio: number;
  bare_p99_ms: number;
  gomall_p99_ms: number;
  drain_per_s: number;
  server_rss_mb: number | null;
}

/** The figures of a recorded run and of this one, side by side (--compare). */
export interface FigureDelta {
  figure: keyof EndpointMedian;
  recorded: number | null;
  now: number | null;
  /** (now - recorded) / recorded, null when either is missing. */
  change: number | null;
}

export interface Comparison {
  file: string;
  recorded_at: string | null;
  recorded_load_tool: string | null;
  deltas: FigureDelta[];
}

export interface EndpointBenchResult {
  mode: 'baseline-bare';
  load_tool: LoadToolName;
  /** Why the load tool is what it is (wrk missing → the built-in engine, labelled). */
  load_tool_note: string;
  /** Where the server and the load tool ran ("server on CPU 0, load on CPU 1"), or why not pinned. */
  pinning: string;
  connections: number;
  duration: string;
  warm_up: string;
  buyers: number;
  buyers_reused: boolean;
  stock: number;
  limit_per_user: number;
  server_node_options: string;
  load_average: number[];
  runs: EndpointRun[];
  median: EndpointMedian;
  comparison: Comparison | null;
  /** Peak RSS of the bench process itself (wrk and the servers are other processes). */
  bench_rss_mb: number;
  phases: PhaseTiming[];
  elapsed_seconds: number;
  /** 0 every invariant held in every run, 1 not. */
  exit_code: 0 | 1;
}
