// --compare FILE (npm run bench:check): this run's medians against the last figures recorded
// in FILE (docs/PERFORMANCE.md), as differences. It judges nothing: a shared machine's rates
// swing by tens of percent, so the reader decides what a difference means.
//
// A record is a fenced json block right after the marker line RECORD_MARKER:
//   <!-- gomall-bench-record -->
//   ```json
//   {"recorded_at": "…", "load_tool": "wrk", "median": {"ratio": 0.2, "gomall_p99_ms": 25, …}}
//   ```
import { readFile } from 'node:fs/promises';
import type { Comparison, EndpointMedian, FigureDelta } from './types.js';

export const RECORD_MARKER = '<!-- gomall-bench-record -->';

const FIGURES: Array<keyof EndpointMedian> = [
  'ratio',
  'gomall_p99_ms',
  'drain_per_s',
  'gomall_rps',
  'bare_rps',
  'bare_p99_ms',
  'server_rss_mb',
];

interface Record {
  recorded_at?: string;
  load_tool?: string;
  median?: Partial<{ [K in keyof EndpointMedian]: number | null }>;
}

/** The last record of `text`; an error naming the file when there is none or it is not JSON. */
export function lastRecord(text: string, file: string): Record {
  const blocks = text.split(RECORD_MARKER).slice(1);
  const last = blocks.at(-1);
  const json = last === undefined ? undefined : /^\s*```json\n([\s\S]*?)\n```/.exec(last)?.[1];
  if (json === undefined)
    throw new Error(
      `--compare: ${file} has no recorded figures (a json block after ${RECORD_MARKER})`,
    );
  try {
    return JSON.parse(json) as Record;
  } catch {
    throw new Error(`--compare: the last record in ${file} is not valid JSON`);
  }
}

export async function compareWithRecord(file: string, now: EndpointMedian): Promise<Comparison> {
  const record = lastRecord(await readFile(file, 'utf8'), file);
  const deltas: FigureDelta[] = FIGURES.map((figure) => {
    const recorded = record.median?.[figure] ?? null;
    const current = Number.isFinite(now[figure]) ? now[figure] : null;
    return {
      figure,
      recorded,
      now: current,
      change:
        recorded !== null && current !== null && recorded !== 0
          ? (current - recorded) / recorded
          : null,
    };
  });
  return {
    file,
    recorded_at: record.recorded_at ?? null,
    recorded_load_tool: record.load_tool ?? null,
    deltas,
  };
}
