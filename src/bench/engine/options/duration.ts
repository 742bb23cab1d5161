// k6 durations: "500ms", "30s", "1m30s", "1h", "1.5s" (Go's syntax plus "d"), or a JSON number
// of milliseconds. Like k6, a unitless string other than "0" is an error rather than a guess.
const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/gy;

/** Milliseconds, or the reason `value` is not a duration (without naming the option). */
export function readDuration(value: unknown): { ms: number } | { problem: string } {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return { ms: value };
  if (typeof value !== 'string' || value.trim() === '') {
    return {
      problem: `expected a duration like "30s" or "1m30s", got ${JSON.stringify(value)}`,
    };
  }
  const text = value.trim();
  if (text === '0') return { ms: 0 };
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = PART.exec(text); m !== null; m = PART.exec(text)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
    consumed = PART.lastIndex;
  }
  if (consumed !== text.length) {
    return { problem: `"${value}" is not a duration (use units ms, s, m, h, e.g. "1m30s")` };
  }
  return { ms: total };
}

/** Milliseconds; a TypeError whose message starts with `what` when `value` is not a duration. */
export function parseDuration(value: unknown, what: string): number {
  const read = readDuration(value);
  if ('problem' in read) throw new TypeError(`${what}: ${read.problem}`);
  return read.ms;
}
