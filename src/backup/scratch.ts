import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Config } from '../config/schema.js';
import type { Knex } from '../infra/db.js';
import { createSchema, dropSchema } from './catalog.js';
import { withDefaultsFile } from './defaults-file.js';
import type { InspectedDump } from './dump-file.js';
import { countingStream, type ProgressFn } from './progress.js';
import { countRows, describeDifferences, diffCounts } from './row-counts.js';
import { runTool } from './run-tool.js';
import { CLIENT_TOOLS, clientArgs, findTool } from './tools.js';

/**
 * A database name next to `live` for one job ("scratch", "trash"), unique per run and
 * within MySQL's 64-character limit.
 */
export function siblingName(live: string, role: string): string {
  return `${live.slice(0, 40)}__${role}_${randomBytes(4).toString('hex')}`;
}

/**
 * Loads an inspected dump file into a new scratch database with the mysql client and checks
 * that every table holds as many rows as the file does. Returns the scratch database's name;
 * on any failure it is dropped again, so nothing is left behind.
 */
export async function loadIntoScratch(
  database: Config['database'],
  admin: Knex,
  dump: InspectedDump,
  onProgress?: ProgressFn,
): Promise<string> {
  const scratch = siblingName(database.name, 'scratch');
  await createSchema(admin, scratch);
  try {
    await withDefaultsFile(database, (defaults) =>
      runTool(findTool(CLIENT_TOOLS), clientArgs(defaults, scratch), {
        stdin: (into) =>
          pipeline(
            createReadStream(dump.file),
            countingStream('loading', onProgress, dump.bytes),
            createGunzip(),
            into,
          ),
      }),
    );
    const differences = diffCounts(dump.rows, await countRows(admin, scratch));
    if (differences.length > 0) {
      throw new Error(
        `${dump.file}: the loaded tables differ from the file: ${describeDifferences(differences)}`,
      );
    }
    return scratch;
  } catch (error) {
    await dropSchema(admin, scratch);
    throw error;
  }
}
