// The run's buyers: rows in MySQL and a token each, as a file with one buyer a line
// ({"id":…,"token":"…"}), which is the `buyers` array of the scenarios' data file without
// its brackets and what the wrk script reads. Rows go in by multi-row INSERTs of CHUNK
// buyers, a few in flight at once; one bcrypt hash is shared by all (hashing is ~70 ms each
// and nobody logs in as a bench buyer); tokens are minted here (token-minter.ts). Memory
// stays that of a few chunks whatever the count. With --reuse-buyers, the buyers an earlier
// run prepared for the same database, JWT settings and count are used again (buyer-cache.ts).
import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import type { Config } from '../../config/schema.js';
import type { Knex } from '../../infra/db.js';
import { hashPassword } from '../../user/password.js';
import { cacheEntry, draftOf, publish, reusable, type BuyerCacheMeta } from './buyer-cache.js';
import { tokenMinter, type MintToken } from './token-minter.js';

export interface Buyer {
  id: number;
  token: string;
}

export interface BuyerSet {
  count: number;
  /** Usernames are `${prefix}<n>`. */
  prefix: string;
  /** One buyer a line as JSON, n = 0 first. */
  file: string;
  /** Buyer 0, for a look at a --target before the load. */
  first: Buyer;
  /** true when an earlier run's buyers serve this one. */
  reused: boolean;
}

/** Rows per INSERT: ~150 KB of SQL, well under max_allowed_packet. */
const CHUNK = 2000;
/** INSERTs in flight at once: the database works while this process mints tokens. */
const IN_FLIGHT = 3;
/** A bcrypt hash's alphabet: the hash goes into the SQL text as it is. */
const BCRYPT_TEXT = /^[$./A-Za-z0-9]+$/;

/** Usernames of a run: bench_<runId>_<n>. */
export const buyerPrefix = (runId: string) => `bench_${runId}_`;

export async function prepareBuyers(
  db: Knex,
  config: Config,
  count: number,
  runId: string,
  reuse: boolean,
): Promise<BuyerSet> {
  const entry = await cacheEntry(config, count);
  const cached = reuse ? await reusable(db, entry, count) : null;
  if (cached)
    return {
      count,
      prefix: cached.prefix,
      file: entry.buyersFile,
      first: cached.first,
      reused: true,
    };
  const prefix = buyerPrefix(runId);
  const draft = draftOf(entry, runId);
  const expiresAt = new Date(Date.now() + config.jwt.ttl_seconds * 1000).toISOString();
  try {
    const first = await insertBuyers(db, tokenMinter(config.jwt), prefix, count, draft);
    const meta: BuyerCacheMeta = { prefix, count, first, expires_at: expiresAt };
    await publish(entry, runId, meta);
    return { count, prefix, file: entry.buyersFile, first, reused: false };
  } catch (error) {
    await rm(draft, { force: true });
    throw error;
  }
}

async function insertBuyers(
  db: Knex,
  mint: MintToken,
  prefix: string,
  count: number,
  file: string,
): Promise<Buyer> {
  const passwordHash = await hashPassword(randomBytes(18).toString('base64url'));
  if (!BCRYPT_TEXT.test(passwordHash) || !/^\w+$/.test(prefix))
    throw new Error('bench buyers: unexpected characters in the username or the hash');
  const out = await open(file, 'w', 0o600); // holds live tokens
  let first: Buyer | undefined;
  try {
    const starts = Array.from({ length: Math.ceil(count / CHUNK) }, (_, k) => k * CHUNK);
    const inFlight: Array<Promise<Map<string, number>>> = [];
    const launch = (k: number) => {
      const start = starts[k];
      if (start !== undefined)
        inFlight[k] = insertChunk(db, prefix, passwordHash, start, Math.min(count, start + CHUNK));
    };
    for (let k = 0; k < IN_FLIGHT; k++) launch(k);
    for (let k = 0; k < starts.length; k++) {
      const ids = await inFlight[k]!;
      delete inFlight[k];
      launch(k + IN_FLIGHT);
      let text = '';
      const end = Math.min(count, starts[k]! + CHUNK);
      for (let n = starts[k]!; n < end; n++) {
        const id = ids.get(`${prefix}${n}`);
        if (id === undefined)
          throw new Error(`bench buyer ${prefix}${n} was not found after its INSERT`);
        const buyer = { id, token: mint(id) };
        first ??= buyer;
        text += `${JSON.stringify(buyer)}\n`;
      }
      await out.write(text);
    }
    // Chunks launched but not awaited (an error above) must not outlive the run unobserved.
    await Promise.allSettled(inFlight);
  } finally {
    await out.close();
  }
  if (!first) throw new Error('bench buyers: none created');
  return first;
}

/** INSERTs buyers start..end-1 in one statement; their ids by username. */
async function insertChunk(
  db: Knex,
  prefix: string,
  passwordHash: string,
  start: number,
  end: number,
): Promise<Map<string, number>> {
  const names: string[] = [];
  for (let n = start; n < end; n++) names.push(`${prefix}${n}`);
  const values = names.map((name) => `('${name}','${passwordHash}','user')`).join(',');
  await db.raw(`INSERT INTO users (username, password_hash, role) VALUES ${values}`);
  // With innodb_autoinc_lock_mode 2 a multi-row INSERT's ids may interleave: read them back.
  const rows = (await db('users').select('id', 'username').whereIn('username', names)) as Array<{
    id: number | string;
    username: string;
  }>;
  return new Map(rows.map((row) => [row.username, Number(row.id)]));
}
