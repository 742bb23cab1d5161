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
/** Without a terminal, a plain line this often: a CI log shows the work moving, not flooding. */
const LINE_EVERY_MS = 5000;

/**
 * Progress on stderr, so --json output on stdout stays clean: one self-overwriting line on
 * a terminal, a plain line every few seconds otherwise (work shorter than that prints none).
 */
export function terminalProgress(
  stream: NodeJS.WriteStream = process.stderr,
): TerminalProgress | undefined {
  const tty = stream.isTTY === true;
  const startedAt = Date.now();
  let drawnAt = tty ? 0 : startedAt;
  let shown = false;
  return {
    report(phase, bytes, total) {
      const now = Date.now();
      if (now - drawnAt < (tty ? REDRAW_MS : LINE_EVERY_MS)) return;
      drawnAt = now;
      const amount =
        total === undefined
          ? formatBytes(bytes)
          : `${formatBytes(bytes)} of ${formatBytes(total)} (${Math.floor((bytes / Math.max(total, 1)) * 100)}%)`;
      if (!tty) {
        stream.write(`${phase}: ${amount}\n`);
        return;
      }
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
