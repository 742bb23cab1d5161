import { readdir, rm } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { packageRoot } from '../infra/paths.js';

/**
 * Where backups go: --out is relative to the working directory, like any path typed on a
 * command line; backup.dir from the config is relative to the install, like server.pid_file.
 */
export function backupDir(configured: string, out?: string): string {
  if (out !== undefined) return resolve(out);
  return isAbsolute(configured) ? configured : join(packageRoot(), configured);
}

/**
 * `<database>-<UTC time>.sql.gz`, e.g. gomall-20261125T120000.123Z.sql.gz. The time sorts
 * as text, has no ":" (not allowed in Windows file names) and keeps milliseconds so two
 * backups in one second do not collide. Database names are [A-Za-z0-9_], so the "-"
 * separates them unambiguously.
 */
export function backupFileName(database: string, at: Date): string {
  return `${database}-${at.toISOString().replace(/[-:]/g, '')}.sql.gz`;
}

export interface BackupFile {
  name: string;
  path: string;
  createdAt: Date;
}

const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z\.sql\.gz$/;

/** Complete backups of `database` in `dir`, newest first; .partial files are not backups. */
export async function listBackups(dir: string, database: string): Promise<BackupFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: BackupFile[] = [];
  for (const name of names) {
    if (!name.startsWith(`${database}-`)) continue;
    const stamp = STAMP.exec(name.slice(database.length + 1));
    if (!stamp) continue;
    const [, year, month, day, hour, minute, second, ms] = stamp.map(Number) as number[];
    const createdAt = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!, ms!));
    files.push({ name, path: join(dir, name), createdAt });
  }
  return files.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** Deletes all but the `keep` newest backups of `database`; returns the deleted paths. */
export async function pruneBackups(dir: string, database: string, keep: number): Promise<string[]> {
  const old = (await listBackups(dir, database)).slice(keep);
  for (const file of old) await rm(file.path, { force: true });
  return old.map((file) => file.path);
}
