import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { packageRoot } from '../infra/paths.js';

export function pidFilePath(configured: string): string {
  return isAbsolute(configured) ? configured : join(packageRoot(), configured);
}

export function writePidFile(configured: string): string {
  const path = pidFilePath(configured);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${process.pid}\n`);
  return path;
}

/** Removes the file only when it still names this process (a newer server may own it). */
export function removePidFile(configured: string): void {
  const path = pidFilePath(configured);
  try {
    if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path);
  } catch {
    // Already gone.
  }
}

export function readPidFile(configured: string): number | null {
  try {
    const pid = Number(readFileSync(pidFilePath(configured), 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
