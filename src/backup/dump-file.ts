import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DumpScanner, type DumpSummary } from './dump-scanner.js';
import { countingStream, type ProgressFn } from './progress.js';

/** A backup file that must not be restored: the message says why, in one line. */
export class BackupFileError extends Error {
  override name = 'BackupFileError';
}

/** A backup file that passed every check, with what it holds. */
export interface InspectedDump extends DumpSummary {
  file: string;
  /** Size of the file (compressed). */
  bytes: number;
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/**
 * Reads the whole file once, before anything touches a database: the gzip stream must be
 * complete and its checksum right, and the SQL inside must be one database's dump from
 * mysqldump / mariadb-dump that ran to its end. Returns what the dump holds.
 */
export async function inspectDumpFile(
  path: string,
  onProgress?: ProgressFn,
): Promise<InspectedDump> {
  const size = await sizeOf(path);
  if (size < GZIP_MAGIC.length || !(await startsWith(path, GZIP_MAGIC))) {
    throw new BackupFileError(`${path}: not a gzip file`);
  }
  const scanner = new DumpScanner();
  try {
    await pipeline(
      createReadStream(path),
      countingStream('checking', onProgress, size),
      createGunzip(),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          scanner.write(chunk);
          callback();
        },
      }),
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR')
      throw new BackupFileError(`${path}: truncated (the gzip stream ends early)`);
    if (code === 'Z_DATA_ERROR') {
      throw new BackupFileError(`${path}: corrupt gzip data (${(error as Error).message})`);
    }
    throw error;
  }
  const summary = scanner.finish();
  assertRestorable(path, summary);
  return { ...summary, file: path, bytes: size };
}

/** The checks on the SQL itself, shared with backup (which scans the dump as it is written). */
export function assertRestorable(path: string, summary: DumpSummary): void {
  if (summary.header === null) {
    throw new BackupFileError(`${path}: not a mysqldump / mariadb-dump file (no dump header)`);
  }
  if (!summary.complete) {
    throw new BackupFileError(`${path}: incomplete dump (no "-- Dump completed" line at the end)`);
  }
  // The dump is loaded into a scratch database so a failed restore never touches live data;
  // a statement that reaches past it (another database, accounts, files) would undo that.
  if (summary.refusal !== null) {
    const { what, statement } = summary.refusal;
    throw new BackupFileError(
      `${path}: the dump ${what} in "${statement.slice(0, 60)}"; restore loads one database's tables and rows only`,
    );
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new BackupFileError(`${path}: not a file`);
    return info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new BackupFileError(`${path}: no such file`);
    throw error;
  }
}

async function startsWith(path: string, magic: Buffer): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(magic.length);
    await handle.read(head, 0, magic.length, 0);
    return head.equals(magic);
  } finally {
    await handle.close();
  }
}
