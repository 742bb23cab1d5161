import { Transform } from 'node:stream';
import type { ProgressLine } from '../cli/progress.js';

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

/** Byte counts as lines of a progress line (src/cli/progress.ts): "dump: 1.2 MiB of 3.4 MiB (35%)". */
export function bytesProgress(line: ProgressLine): ProgressFn {
  return (phase, bytes, total) =>
    line.update(() =>
      total === undefined
        ? `${phase}: ${formatBytes(bytes)}`
        : `${phase}: ${formatBytes(bytes)} of ${formatBytes(total)} (${Math.floor((bytes / Math.max(total, 1)) * 100)}%)`,
    );
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
