import type { Config } from '../config/schema.js';
import { createDb } from '../infra/db.js';
import { dropSchema } from './catalog.js';
import { inspectDumpFile } from './dump-file.js';
import type { ProgressFn } from './progress.js';
import { countRows } from './row-counts.js';
import { loadIntoScratch } from './scratch.js';

export interface VerifiedTable {
  table: string;
  /** Rows after loading the backup; null when the table is not in it. */
  backup: number | null;
  /** Rows in the live database; null when the table is not there. */
  live: number | null;
  match: boolean;
}

export interface VerifyResult {
  database: string;
  file: string;
  /** Every table of either side has the same row count in both. */
  ok: boolean;
  tables: VerifiedTable[];
}

/**
 * Proves a backup can be restored: loads it into a scratch database (the same path a restore
 * takes), compares each table's rows with the live database, and drops the scratch database.
 * The live database is only read.
 */
export async function verifyBackup(
  database: Config['database'],
  file: string,
  onProgress?: ProgressFn,
): Promise<VerifyResult> {
  const dump = await inspectDumpFile(file, onProgress);
  const admin = createDb({ ...database, pool_min: 0, pool_max: 1 }, true);
  try {
    // Loading checks each scratch table against the file's row counts, so from here on the
    // file's counts are the restored ones.
    await dropSchema(admin, await loadIntoScratch(database, admin, dump, onProgress));
    const restored = dump.rows;
    const live = await countRows(admin, database.name);
    const names = [...new Set([...restored.keys(), ...live.keys()])].sort();
    const tables = names.map((table) => {
      const backup = restored.get(table) ?? null;
      const current = live.get(table) ?? null;
      return { table, backup, live: current, match: backup === current };
    });
    return { database: database.name, file, ok: tables.every((t) => t.match), tables };
  } finally {
    await admin.destroy();
  }
}
