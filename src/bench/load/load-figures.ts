// The load table's figures from a k6-shaped summary. Answers by status come from the
// scenarios' seckill outcome counters (scenarios/lib/seckill-outcome.ts): each outcome is one
// status (409 holds two reasons), and "other" is any status or reason the API must not give.
import type { K6Summary } from '../engine/index.js';
import type { LoadFigures, ThresholdOutcome } from '../types.js';
import type { LoadRun } from './load-run.js';

export const REASONS = [
  'queued',
  'sold_out',
  'already_purchased',
  'rate_limited',
  'busy',
  'other',
] as const;
export type SeckillReason = (typeof REASONS)[number];

const STATUS_OF: Record<SeckillReason, string> = {
  queued: '202',
  sold_out: '409',
  already_purchased: '409',
  rate_limited: '429',
  busy: '503',
  other: 'other',
};

export function loadFigures(run: LoadRun): LoadFigures {
  const m = run.summary.metrics;
  const value = (metric: string, key: string) => m[metric]?.values[key] ?? 0;
  const byReason: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  if (REASONS.some((reason) => m[`seckill_${reason}`] !== undefined)) {
    for (const reason of REASONS) {
      const count = value(`seckill_${reason}`, 'count');
      byReason[reason] = count;
      byStatus[STATUS_OF[reason]] = (byStatus[STATUS_OF[reason]] ?? 0) + count;
    }
  }
  return {
    requests: value('http_reqs', 'count'),
    iterations: value('iterations', 'count'),
    failed_requests: value('http_req_failed', 'passes'),
    duration_seconds: run.summary.state.testRunDurationMs / 1000,
    rate: value('http_reqs', 'rate'),
    latency_ms: {
      avg: value('http_req_duration', 'avg'),
      p50: value('http_req_duration', 'med'),
      p95: value('http_req_duration', 'p(95)'),
      p99: value('http_req_duration', 'p(99)'),
      max: value('http_req_duration', 'max'),
    },
    by_status: byStatus,
    by_reason: byReason,
    thresholds: thresholdsOf(run.summary),
    thresholds_failed: run.thresholdsFailed,
    script_errors: run.scriptErrors,
    aborted: run.aborted,
  };
}

function thresholdsOf(summary: K6Summary): ThresholdOutcome[] {
  const out: ThresholdOutcome[] = [];
  for (const [metric, data] of Object.entries(summary.metrics)) {
    for (const [expression, { ok }] of Object.entries(data.thresholds ?? {}))
      out.push({ metric, expression, ok });
  }
  return out;
}
