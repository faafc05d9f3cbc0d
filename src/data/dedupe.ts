import type { RawTable } from './csv.js';

/**
 * The rows whose cells in `columns` (the features and the target) have not appeared in an earlier row: the first
 * of each group of exact duplicates is kept. Runs before splitting, so a duplicated row cannot land in training and
 * validation at once and make the validation score look better than it is.
 */
export function uniqueRows(table: RawTable, rows: readonly number[], columns: readonly number[]): number[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const cells = table.rows[r] as readonly string[];
    const key = JSON.stringify(columns.map((c) => cells[c] ?? ''));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
