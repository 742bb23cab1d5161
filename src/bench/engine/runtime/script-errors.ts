// Exceptions thrown by iterations, grouped by message: the first of each kind is logged, the
// rest only counted, so a failing script does not flood the terminal (or memory: distinct
// messages are capped).
import type { EngineLogLevel, ScriptErrorCount } from '../types.js';

const MAX_DISTINCT = 50;
const OVERFLOW = '(other errors)';

export class ScriptErrors {
  private readonly counts = new Map<string, number>();

  constructor(private readonly log: (level: EngineLogLevel, message: string) => void) {}

  report(error: unknown, where: string): void {
    const message = describe(error);
    const key = this.counts.has(message) || this.counts.size < MAX_DISTINCT ? message : OVERFLOW;
    const seen = this.counts.get(key) ?? 0;
    this.counts.set(key, seen + 1);
    if (seen === 0)
      this.log(
        'error',
        `${where}: ${message}${key === OVERFLOW ? '' : ' (repeats are counted, not logged)'}`,
      );
  }

  list(): ScriptErrorCount[] {
    return [...this.counts].map(([message, count]) => ({ message, count }));
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const frame = error.stack?.split('\n').find((line) => line.trim().startsWith('at '));
    return frame === undefined
      ? `${error.name}: ${error.message}`
      : `${error.name}: ${error.message} (${frame.trim()})`;
  }
  return String(error);
}
