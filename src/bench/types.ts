// The shapes `gomall bench` reports: what --json prints and what the HTML report draws.
import type { InvariantResult } from './verify/invariants.js';
import type { SaleFigures } from './verify/sale-figures.js';
import type { CatalogFigures } from './verify/catalog-figures.js';

/** One threshold of the scenario and whether it held. */
export interface ThresholdOutcome {
  metric: string;
  expression: string;
  ok: boolean;
}

/** The load as the engine (or k6) measured it. Latencies in ms, rate in requests a second. */
export interface LoadFigures {
  requests: number;
  iterations: number;
  failed_requests: number;
  duration_seconds: number;
  rate: number;
  latency_ms: { avg: number; p50: number; p95: number; p99: number; max: number };
  /** 202, 409, 429, 503 and "other", from the scenario's seckill outcome counters. */
  by_status: Record<string, number>;
  /** queued, sold_out, already_purchased, rate_limited, busy, other. */
  by_reason: Record<string, number>;
  thresholds: ThresholdOutcome[];
  thresholds_failed: boolean;
  script_errors: Array<{ message: string; count: number }>;
  aborted: boolean;
}

export interface DrainFigures {
  drained: boolean;
  seconds: number;
  /** Reservations still in the outbox and messages still in the orders queue at the end. */
  pending_left: number;
  queued_left: number;
}

export interface ProcessMemory {
  role: string;
  pid: number;
  peak_rss_mb: number;
  /** Server processes are held to 256 MB (docs/PERFORMANCE.md, Memory); null for the others. */
  over_limit: boolean | null;
}

export interface MemoryFigures {
  limit_mb: number;
  processes: ProcessMemory[];
}

export interface BaselineRun {
  name: 'express' | 'naive_mysql';
  description: string;
  load: LoadFigures;
  /** Rows the naive sale wrote, to show it sold what it said (null for the bare route). */
  orders: number | null;
}

export interface BaselineFigures {
  runs: BaselineRun[];
  /** gomall's rate divided by each baseline's rate. */
  ratios: { express: number | null; naive_mysql: number | null };
}

/** One second-by-second reading of the sale while the load and the drain ran. */
export interface SaleSample {
  /** Seconds since the load started. */
  t: number;
  phase: 'load' | 'drain';
  stock: number;
  orders: number;
}

export interface LimitsNote {
  lifted: string[];
  kept: string[];
  text: string;
}

/** Wall time of one phase of the run (prepare and start overlap). */
export interface PhaseTiming {
  phase: string;
  seconds: number;
}

export interface BenchResult {
  run_id: string;
  scenario: string;
  /** seckill: flash sales through POST /api/seckill; catalog: plain orders (browse-and-buy). */
  kind: 'seckill' | 'catalog';
  engine: 'builtin' | 'k6';
  target: string;
  /** true when the bench started serve and consume itself. */
  managed: boolean;
  workers: number | null;
  buyers: number;
  /** Usernames of the run's buyers start with this; reused: they came from an earlier run. */
  buyers_prefix: string;
  buyers_reused: boolean;
  stock: number;
  /** path: every buy carried a one-time anti-bot token fetched just before it. */
  anti_bot: 'none' | 'path';
  products: number[];
  /** The load-shape variables handed to the scenario (VUS, EXECUTOR, ...). */
  shape: Record<string, string>;
  /** How long each measured load was preceded by a warm-up (null: none). */
  warm_up: string | null;
  limits: LimitsNote;
  load: LoadFigures;
  drain: DrainFigures;
  invariants: InvariantResult[];
  sales: SaleFigures[];
  catalog: CatalogFigures[];
  memory: MemoryFigures | null;
  baselines: BaselineFigures | null;
  /** Why baselines did not run, when they did not. */
  baselines_note: string | null;
  report_file: string | null;
  phases: PhaseTiming[];
  elapsed_seconds: number;
  /** 0 all invariants hold, 1 one is broken, 99 a threshold failed. */
  exit_code: 0 | 1 | 99;
}
