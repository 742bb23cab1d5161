import type { Knex } from '../infra/db.js';
import { baseTables } from './catalog.js';

export interface TableRows {
  table: string;
  rows: number;
}

/** Exact row counts (COUNT(*), not information_schema's InnoDB estimates) of every base table. */
export async function countRows(db: Knex, schema: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of await baseTables(db, schema)) {
    const [rows] = (await db.raw('SELECT COUNT(*) AS n FROM ??.??', [schema, table])) as [
      Array<{ n: number | string }>,
    ];
    counts.set(table, Number(rows[0]!.n));
  }
  return counts;
}

export interface RowDifference {
  table: string;
  /** null: the table is missing on that side. */
  expected: number | null;
  actual: number | null;
}

/** Tables whose counts differ, or that exist on one side only, sorted by name. */
export function diffCounts(
  expected: Map<string, number>,
  actual: Map<string, number>,
): RowDifference[] {
  const tables = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  return tables
    .map((table) => ({
      table,
      expected: expected.get(table) ?? null,
      actual: actual.get(table) ?? null,
    }))
    .filter((row) => row.expected !== row.actual);
}

export function describeDifferences(differences: RowDifference[]): string {
  return differences
    .map(
      ({ table, expected, actual }) => `${table} ${expected ?? 'missing'} → ${actual ?? 'missing'}`,
    )
    .join(', ');
}

export function asTableRows(counts: Map<string, number>): TableRows[] {
  return [...counts].map(([table, rows]) => ({ table, rows }));
}
