import type { Config } from '../config/schema.js';
import { createDb, type Knex } from '../infra/db.js';
import { baseTables, createSchema, dropSchema, otherObjects, triggers } from './catalog.js';
import { inspectDumpFile, type InspectedDump } from './dump-file.js';
import type { ProgressFn } from './progress.js';
import { asTableRows, type TableRows } from './row-counts.js';
import { loadIntoScratch, siblingName } from './scratch.js';

export interface RestoreOptions {
  /** Asked after the file passed its checks and before the server is touched; false cancels. */
  confirm?: (dump: InspectedDump) => Promise<boolean>;
  onProgress?: ProgressFn;
}

export interface RestoreResult {
  database: string;
  file: string;
  restored: boolean;
  /** The tables now live and their rows (empty when cancelled). */
  tables: TableRows[];
  duration_ms: number;
  /** Things that went wrong after the restore itself succeeded (left-over trash database). */
  warnings: string[];
}

/** How long the swap waits for running transactions on the live tables before giving up. */
const SWAP_LOCK_WAIT_SECONDS = 60;

/**
 * Replaces every table of the configured database with the backup's, or leaves it exactly
 * as it was. The steps, and why none of them can leave the live database half-restored:
 *
 * 1. The whole file is read and checked first (gzip stream and checksum complete, a
 *    mysqldump header and trailer, no statement reaching past one database's tables:
 *    StatementGuard): a bad file fails here, before any connection to the server.
 * 2. The dump is loaded into a new scratch database, and each table's row count is compared
 *    with the file. A failure at any point (SQL error, lost connection, full disk) only
 *    touches the scratch database, which is then dropped.
 * 3. One RENAME TABLE statement moves every live table into a new trash database and every
 *    scratch table into the live one. RENAME TABLE with several pairs is atomic (MariaDB
 *    10.6+ and MySQL 8 atomic DDL, crash-safe too): either all renames happen or none does,
 *    so clients see the old tables or the new ones, never a mix. Foreign keys follow their
 *    tables, so each set stays consistent with itself.
 * 4. The trash database, now holding the old tables, is dropped.
 *
 * Dropping the live tables and loading the dump into them was rejected: a failure midway
 * leaves a half-loaded database, and the running app sees empty tables during the load.
 * (MySQL cannot wrap DDL in a transaction, so there is no rolling that back.)
 *
 * The swap moves tables only. Views, triggers, routines and events of the dump would be
 * lost with the scratch database, and a table with triggers cannot be renamed into another
 * database, so such a restore is refused before the swap, with the live database intact.
 */
export async function restoreBackup(
  database: Config['database'],
  file: string,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  const started = Date.now();
  const dump = await inspectDumpFile(file, options.onProgress);
  const result = (
    restored: boolean,
    tables: TableRows[],
    warnings: string[] = [],
  ): RestoreResult => ({
    database: database.name,
    file,
    restored,
    tables,
    duration_ms: Date.now() - started,
    warnings,
  });
  if (options.confirm && !(await options.confirm(dump))) return result(false, []);

  // One connection: the session's lock wait timeout must apply to the RENAME.
  const admin = createDb({ ...database, pool_min: 0, pool_max: 1 }, true);
  try {
    const scratch = await loadIntoScratch(database, admin, dump, options.onProgress);
    let trash: string;
    try {
      await assertSwappable(admin, database.name, scratch);
      trash = await swap(admin, database.name, scratch);
    } finally {
      await dropSchema(admin, scratch);
    }
    const warnings: string[] = [];
    try {
      await dropSchema(admin, trash);
    } catch (error) {
      warnings.push(
        `the previous tables are left in database ${trash}: ${(error as Error).message}`,
      );
    }
    return result(true, asTableRows(dump.rows), warnings);
  } finally {
    await admin.destroy();
  }
}

async function assertSwappable(admin: Knex, live: string, scratch: string): Promise<void> {
  const extra = await otherObjects(admin, scratch);
  if (extra.length > 0) {
    throw new Error(
      `the dump holds ${extra.join(', ')}; restore swaps tables only, so load it by hand (mariadb ${live} < file)`,
    );
  }
  const liveTriggers = await triggers(admin, live);
  if (liveTriggers.length > 0) {
    throw new Error(
      `${live} has triggers (${liveTriggers.join(', ')}); tables with triggers cannot be swapped out, drop them first`,
    );
  }
}

/** Step 3: the one atomic RENAME TABLE. Returns the trash database holding the old tables. */
async function swap(admin: Knex, live: string, scratch: string): Promise<string> {
  await createSchema(admin, live);
  const trash = siblingName(live, 'trash');
  await createSchema(admin, trash);
  const moves = [
    ...(await baseTables(admin, live)).map((table) => [live, table, trash, table]),
    ...(await baseTables(admin, scratch)).map((table) => [scratch, table, live, table]),
  ];
  try {
    await admin.raw('SET SESSION lock_wait_timeout = ?', [SWAP_LOCK_WAIT_SECONDS]);
    await admin.raw(`RENAME TABLE ${moves.map(() => '??.?? TO ??.??').join(', ')}`, moves.flat());
  } catch (error) {
    // Dropped only when surely empty: if the connection broke after the RENAME went through,
    // the trash database holds the only copy of the old tables.
    const empty = (await baseTables(admin, trash).catch(() => null))?.length === 0;
    if (empty) await dropSchema(admin, trash);
    throw error;
  }
  return trash;
}
