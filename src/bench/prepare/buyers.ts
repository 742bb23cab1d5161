// Buyers straight in MySQL, in bulk: one bcrypt hash shared by all (hashing is ~70 ms each,
// minutes for thousands, and nobody logs in as a bench buyer), tokens minted locally.
import { randomBytes } from 'node:crypto';
import type { JwtCodec } from '../../auth/jwt.js';
import type { Knex } from '../../infra/db.js';
import { hashPassword } from '../../user/password.js';

export interface Buyer {
  id: number;
  token: string;
}

/** Rows per INSERT: well under max_allowed_packet, few round trips. */
const CHUNK = 2000;

/** Usernames of a run: bench_<runId>_<n>. */
export const buyerPrefix = (runId: string) => `bench_${runId}_`;

export async function createBuyers(
  db: Knex,
  jwt: JwtCodec,
  count: number,
  runId: string,
): Promise<Buyer[]> {
  const passwordHash = await hashPassword(randomBytes(18).toString('base64url'));
  const prefix = buyerPrefix(runId);
  for (let start = 0; start < count; start += CHUNK) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++) {
      rows.push({ username: `${prefix}${i}`, password_hash: passwordHash, role: 'user' });
    }
    await db('users').insert(rows);
  }
  // Ids are read back: with innodb_autoinc_lock_mode 2 a multi-row INSERT's ids may interleave.
  // The run id is letters and digits, so only the "_" need escaping in LIKE.
  const found = (await db('users')
    .select('id')
    .where('username', 'like', `${prefix.replaceAll('_', '\\_')}%`)
    .orderBy('id')) as Array<{ id: number | string }>;
  if (found.length !== count) throw new Error(`created ${count} buyers but found ${found.length}`);
  return found.map((row) => {
    const id = Number(row.id);
    return { id, token: jwt.sign({ id, role: 'user' }).token };
  });
}
