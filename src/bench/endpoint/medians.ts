// The medians of the endpoint bench's runs: the figure quoted, since one run on a shared
// machine swings with its neighbours.
import type { EndpointMedian, EndpointRun } from './types.js';

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function medians(runs: EndpointRun[]): EndpointMedian {
  const rss = runs.map((r) => r.server_rss_mb).filter((mb): mb is number => mb !== null);
  return {
    bare_rps: median(runs.map((r) => r.bare.rate)),
    gomall_rps: median(runs.map((r) => r.gomall.rate)),
    ratio: median(runs.map((r) => r.ratio)),
    bare_p99_ms: median(runs.map((r) => r.bare.p99_ms)),
    gomall_p99_ms: median(runs.map((r) => r.gomall.p99_ms)),
    drain_per_s: median(runs.map((r) => r.drain.per_s)),
    server_rss_mb: rss.length > 0 ? median(rss) : null,
  };
}
