import { findOnPath } from '../infra/find-on-path.js';

// mariadb-dump / mariadb first: on MariaDB 11 the mysql* names are deprecated aliases that
// warn on every run; a MySQL-only host has just the mysql* names.
export const DUMP_TOOLS = ['mariadb-dump', 'mysqldump'];
export const CLIENT_TOOLS = ['mariadb', 'mysql'];

/** The first of `names` that is an executable on PATH. */
export function findTool(names: string[], path = process.env['PATH'] ?? ''): string {
  for (const name of names) {
    const found = findOnPath(name, path);
    if (found) return found;
  }
  throw new Error(`none of ${names.join(', ')} found on PATH; install the MariaDB or MySQL client`);
}

/**
 * Arguments of the dump tool. Connection and credentials come only from the defaults file,
 * which must be the first option; nothing secret is ever in the argument list (visible to
 * every user through ps and /proc).
 * --single-transaction: one consistent InnoDB snapshot without locking the tables.
 * --quick: rows stream out instead of being buffered in the tool's memory.
 * --routines --triggers: the whole schema, not just tables.
 * --hex-blob: binary columns as 0x…, so no raw bytes in the SQL text.
 * --no-tablespaces: needs no PROCESS privilege, and gomall uses none.
 * The database is named without --databases, so the dump has no USE / CREATE DATABASE and
 * can be loaded into any database (restore and verify load it into a scratch one).
 */
export function dumpArgs(defaultsFile: string, database: string): string[] {
  return [
    `--defaults-extra-file=${defaultsFile}`,
    '--single-transaction',
    '--quick',
    '--routines',
    '--triggers',
    '--hex-blob',
    '--no-tablespaces',
    '--default-character-set=utf8mb4',
    database,
  ];
}

/** Arguments of the client that loads a dump into `database`, read from its stdin. */
export function clientArgs(defaultsFile: string, database: string): string[] {
  return [
    `--defaults-extra-file=${defaultsFile}`,
    '--batch',
    // Raw bytes in string literals (dumps made without --hex-blob) stay as they are.
    '--binary-mode',
    '--default-character-set=utf8mb4',
    database,
  ];
}
