import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Config } from '../config/schema.js';
import { withDefaultsFile } from './defaults-file.js';
import { assertRestorable } from './dump-file.js';
import { DumpScanner } from './dump-scanner.js';
import { backupFileName, pruneBackups } from './naming.js';
import { countingStream, type ProgressFn } from './progress.js';
import { asTableRows, type TableRows } from './row-counts.js';
import { runTool } from './run-tool.js';
import { DUMP_TOOLS, dumpArgs, findTool } from './tools.js';

export interface BackupOptions {
  dir: string;
  /** Backups of this database to keep, the new one included. */
  keep: number;
  onProgress?: ProgressFn;
}

export interface BackupResult {
  database: string;
  file: string;
  /** Size of the compressed file. */
  bytes: number;
  created_at: string;
  duration_ms: number;
  /** Rows of each table in the file, counted from the dump itself as it was written. */
  tables: TableRows[];
  /** Older backups deleted to keep `keep`. */
  pruned: string[];
}

/**
 * Dumps the database through gzip into `<dir>/<database>-<time>.sql.gz`. The dump is written
 * to a .partial file that is renamed only once the tool succeeded, the dump ran to its
 * "-- Dump completed" line and the data is on disk, so a file with the final name is always
 * a whole backup. Only then are old backups pruned: a failed run never costs an old backup.
 */
export async function createBackup(
  database: Config['database'],
  options: BackupOptions,
): Promise<BackupResult> {
  const started = new Date();
  // Folder 0700, file 0600: backups hold every user's password hash and all orders.
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const file = join(options.dir, backupFileName(database.name, started));
  const partial = `${file}.partial`;
  const scanner = new DumpScanner();
  const dumpTool = findTool(DUMP_TOOLS);
  let bytes = 0;
  let tables: TableRows[] = [];

  let written = false;
  try {
    await withDefaultsFile(database, (defaults) =>
      runTool(dumpTool, dumpArgs(defaults, database.name), {
        stdout: (sql) =>
          pipeline(
            sql,
            scanning(scanner),
            createGzip(),
            countingStream('writing', (phase, done) => {
              bytes = done;
              options.onProgress?.(phase, done);
            }),
            // flush: fsync before close, so the rename below never publishes data still in
            // the page cache.
            createWriteStream(partial, { flags: 'wx', mode: 0o600, flush: true }),
          ),
      }),
    );
    const summary = scanner.finish();
    assertRestorable(`the dump of ${database.name}`, summary);
    tables = asTableRows(summary.rows);
    written = true;
  } finally {
    if (!written) await rm(partial, { force: true });
  }
  await rename(partial, file);
  const pruned = await pruneBackups(options.dir, database.name, options.keep);
  return {
    database: database.name,
    file,
    bytes,
    created_at: started.toISOString(),
    duration_ms: Date.now() - started.getTime(),
    tables,
    pruned,
  };
}

/** Passes the SQL on unchanged while the scanner reads it. */
function scanning(scanner: DumpScanner): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      scanner.write(chunk);
      callback(null, chunk);
    },
  });
}
