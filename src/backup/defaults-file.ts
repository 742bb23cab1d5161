import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';

/**
 * Runs `work` with a MySQL option file holding the connection and password, readable by
 * this user only (mode 0600 in a fresh 0700 folder), deleted afterwards. The tools read it
 * through --defaults-extra-file, so the password is never in their arguments (world-readable
 * via ps) nor in their environment (MYSQL_PWD is readable by the same user in /proc and is
 * deprecated by MySQL).
 */
export async function withDefaultsFile<T>(
  database: Config['database'],
  work: (path: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'gomall-backup-'));
  try {
    const path = join(dir, 'client.cnf');
    await writeFile(path, optionFileText(database), { mode: 0o600, flag: 'wx' });
    return await work(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The [client] group, read by mysqldump, mariadb-dump, mysql and mariadb alike.
 * protocol=TCP: like the server's own pool (mysql2), even for host "localhost", which the
 * C clients would otherwise reach through the Unix socket, possibly as another account.
 */
export function optionFileText(database: Config['database']): string {
  return [
    '[client]',
    `host=${quoted(database.host)}`,
    `port=${database.port}`,
    `user=${quoted(database.username)}`,
    `password=${quoted(database.password)}`,
    'protocol=TCP',
    '',
  ].join('\n');
}

/**
 * An option value in double quotes, so "#" and ";" are not comments and edge spaces stay;
 * backslash escapes are the ones the option-file reader understands.
 */
export function quoted(value: string): string {
  const escaped = value
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t')
    .replaceAll('\b', '\\b');
  return `"${escaped}"`;
}
