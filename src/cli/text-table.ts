import Table from 'cli-table3';

/**
 * A plain table for terminal output: no colours (the output may be piped or logged) and no
 * rule between rows, so a database with many tables stays readable.
 */
export function textTable(head: string[], colAligns: Array<'left' | 'right'>): Table.Table {
  return new Table({
    head,
    colAligns,
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
}
