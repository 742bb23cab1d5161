import { Transform } from 'node:stream';

/** Long work reports how far it got: a phase name, bytes done and, when known, the total. */
export type ProgressFn = (phase: string, bytes: number, total?: number) => void;

/** A pass-through stream that reports the bytes flowing through it. */
export function countingStream(phase: string, onProgress?: ProgressFn, total?: number): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      onProgress?.(phase, bytes, total);
      callback(null, chunk);
    },
  });
}

export interface TerminalProgress {
  report: ProgressFn;
  /** Erases the progress line, e.g. before a prompt or the final output. */
  clear(): void;
}

const REDRAW_MS = 100;

/**
 * One self-overwriting line on stderr, only when stderr is a terminal: piped or redirected
 * output (scripts, CI logs, --json consumers) gets no progress noise.
 */
export function terminalProgress(
  stream: NodeJS.WriteStream = process.stderr,
): TerminalProgress | undefined {
  if (!stream.isTTY) return undefined;
  let drawnAt = 0;
  let shown = false;
  return {
    report(phase, bytes, total) {
      const now = Date.now();
      if (now - drawnAt < REDRAW_MS) return;
      drawnAt = now;
      const amount =
        total === undefined
          ? formatBytes(bytes)
          : `${formatBytes(bytes)} of ${formatBytes(total)} (${Math.floor((bytes / Math.max(total, 1)) * 100)}%)`;
      stream.write(`\r\x1b[2K${phase}: ${amount}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
      drawnAt = 0;
    },
  };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
