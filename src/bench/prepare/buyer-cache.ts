// Prepared buyers kept between runs (--reuse-buyers). An entry is keyed by what makes its
// tokens valid: the database, the JWT settings and the number of buyers. It holds the buyers
// file (one JSON object a line, see buyers.ts) and a meta file; it is written under a temporary
// name and renamed, so a run that fails half-way leaves no half entry. Reuse also requires the
// buyers' rows to be in the database still and the tokens to outlive the run.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import type { Knex } from '../../infra/db.js';

/** A reused token must stay valid at least this long (a long run, then a look with verify). */
const MIN_REMAINING_MS = 30 * 60_000;

export interface BuyerCacheMeta {
  prefix: string;
  count: number;
  first: { id: number; token: string };
  /** When the earliest token expires (ISO). */
  expires_at: string;
}

export interface BuyerCacheEntry {
  buyersFile: string;
  metaFile: string;
}

export function cacheDir(): string {
  return join(tmpdir(), `gomall-bench-buyers-${userInfo().uid}`);
}

export async function cacheEntry(config: Config, count: number): Promise<BuyerCacheEntry> {
  const dir = cacheDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { host, port, name } = config.database;
  const key = createHash('sha256')
    .update(JSON.stringify([host, port, name, config.jwt, count]))
    .digest('hex')
    .slice(0, 24);
  return { buyersFile: join(dir, `${key}.jsonl`), metaFile: join(dir, `${key}.meta.json`) };
}

/** The entry's meta when it can serve this run, else null. */
export async function reusable(
  db: Knex,
  entry: BuyerCacheEntry,
  count: number,
): Promise<BuyerCacheMeta | null> {
  let meta: BuyerCacheMeta;
  try {
    meta = JSON.parse(await readFile(entry.metaFile, 'utf8')) as BuyerCacheMeta;
  } catch {
    return null;
  }
  if (meta.count !== count || Date.parse(meta.expires_at) - Date.now() < MIN_REMAINING_MS)
    return null;
  const row = (await db('users')
    .where('username', 'like', `${meta.prefix.replaceAll('_', '\\_')}%`)
    .count({ n: '*' })
    .first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0) === count ? meta : null;
}

/** Where a run writes the buyers file before publishing it (runs of the same key may overlap). */
export const draftOf = (entry: BuyerCacheEntry, runId: string) =>
  `${entry.buyersFile}.${runId}.tmp`;

/** Publishes a finished buyers file (written at draftOf()) and its meta. */
export async function publish(
  entry: BuyerCacheEntry,
  runId: string,
  meta: BuyerCacheMeta,
): Promise<void> {
  await rename(draftOf(entry, runId), entry.buyersFile);
  const metaDraft = `${entry.metaFile}.${runId}.tmp`;
  await writeFile(metaDraft, JSON.stringify(meta), { mode: 0o600 });
  await rename(metaDraft, entry.metaFile);
}
