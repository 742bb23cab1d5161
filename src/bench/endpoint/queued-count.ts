// The 202 answers a gomall server gave, from its own /metrics (seckill_attempts_total with
// result="queued"): the evidence for "every 202 has one order row" when the load tool counts
// no statuses (wrk). null when the server does not expose the counter.
export async function queuedCount(baseUrl: string): Promise<number | null> {
  const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  const lines = text
    .split('\n')
    .filter((line) => /^seckill_attempts_total\{[^}]*result="queued"/.test(line));
  if (lines.length === 0) return null;
  return lines.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
