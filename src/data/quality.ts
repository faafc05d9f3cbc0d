import { quantile } from '../maths/stats.js';
import type { RawTable } from './csv.js';

/** One column as the quality report sees it. */
export interface ColumnReport {
  readonly name: string;
  readonly type: 'numeric' | 'categorical' | 'empty';
  readonly missing: number;
  readonly distinct: number;
  /** Values outside [Q1 − 1.5·IQR, Q3 + 1.5·IQR] (numeric columns). */
  readonly outliers: number;
}

/** What autotune noticed about a dataset when it loaded it; stored with the study and shown by `autotune show`. */
export interface DataQualityReport {
  readonly file: string;
  readonly rows: number;
  readonly columns: readonly ColumnReport[];
  readonly duplicateRows: number;
  readonly constantColumns: readonly string[];
  /** Classification: rows per class of the target. */
  readonly classBalance: Readonly<Record<string, number>> | null;
  readonly missingTarget: number;
  /** Columns the study leaves out (`data.features`): named once in the warnings, profiled nowhere. */
  readonly excludedColumns: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * Profiles the columns a study reads (the target and its `features`, default every column): column types, missing
 * values, duplicates, constant columns, class balance, IQR outliers, and leakage warnings (a feature identical to
 * the target, an ID-like column that is unique on every row). A column the study excluded is only named once:
 * warning that an unused column is an identifier would tell the user to do what they already did.
 *
 * @example qualityReport(readCsv('datasets/penguins.csv'), 'species', 'classification').columns[5].missing // 11
 */
export function qualityReport(
  table: RawTable,
  target: string,
  task: 'classification' | 'regression',
  features?: readonly string[],
): DataQualityReport {
  const used = features ? new Set([target, ...features]) : null;
  const excludedColumns = used ? table.columns.filter((name) => !used.has(name)) : [];
  const usedIndices = table.columns.flatMap((name, c) => (used === null || used.has(name) ? [c] : []));
  // Without a feature list every column is used, and a large table is not copied.
  const rows = used === null ? table.rows : table.rows.map((row) => usedIndices.map((c) => row[c] ?? ''));
  const names = used === null ? table.columns : usedIndices.map((c) => table.columns[c] as string);
  const targetIndex = names.indexOf(target);
  const columns = names.map((name, c): ColumnReport => {
    const values = rows.map((r) => r[c] ?? '');
    const present = values.filter((v) => v !== '');
    const numbers = present.map(Number);
    const numeric = present.length > 0 && numbers.every(Number.isFinite);
    let outliers = 0;
    if (numeric) {
      const q1 = quantile(numbers, 0.25);
      const q3 = quantile(numbers, 0.75);
      const fence = 1.5 * (q3 - q1);
      outliers = numbers.filter((v) => v < q1 - fence || v > q3 + fence).length;
    }
    return {
      name,
      type: present.length === 0 ? 'empty' : numeric ? 'numeric' : 'categorical',
      missing: values.length - present.length,
      distinct: new Set(present).size,
      outliers,
    };
  });
  const seen = new Set<string>();
  let duplicateRows = 0;
  for (const row of rows) {
    const key = JSON.stringify(row);
    if (seen.has(key)) duplicateRows++;
    else seen.add(key);
  }
  const constantColumns = columns.filter((c) => c.distinct <= 1).map((c) => c.name);
  const warnings: string[] = [];
  if (excludedColumns.length > 0) {
    warnings.push(`not reported, left out by data.features: ${excludedColumns.map((name) => `"${name}"`).join(', ')}`);
  }
  for (const [c, column] of columns.entries()) {
    if (c === targetIndex) continue;
    if (targetIndex >= 0 && rows.every((r) => (r[c] ?? '') === (r[targetIndex] ?? ''))) {
      warnings.push(`column "${column.name}" is identical to the target: it leaks the answer`);
    }
    const integerLike = column.type === 'numeric' && rows.every((r) => Number.isInteger(Number(r[c])));
    if (column.distinct === rows.length && rows.length > 20 && (column.type === 'categorical' || integerLike) && column.missing === 0) {
      warnings.push(`column "${column.name}" has a different value on every row: an identifier, not a feature`);
    }
  }
  for (const column of columns) {
    if (column.name === target || column.distinct > 1) continue;
    warnings.push(
      column.type === 'empty'
        ? `column "${column.name}" is empty (every value is missing): it is imputed and carries no information`
        : `column "${column.name}" is constant: it carries no information`,
    );
  }
  if (duplicateRows > 0) warnings.push(`${duplicateRows} duplicate row${duplicateRows > 1 ? 's' : ''}`);
  let classBalance: Record<string, number> | null = null;
  if (task === 'classification' && targetIndex >= 0) {
    // A Map, not an object: a class named "constructor" or "toString" would find Object.prototype's members.
    const balance = new Map<string, number>();
    for (const r of rows) {
      const label = r[targetIndex] ?? '';
      if (label !== '') balance.set(label, (balance.get(label) ?? 0) + 1);
    }
    classBalance = Object.fromEntries(balance);
    // Reduced rather than spread: a target with 200,000 distinct values would overflow Math.min(...counts).
    const counts = [...balance.values()];
    const min = counts.reduce((a, b) => Math.min(a, b), Infinity);
    const max = counts.reduce((a, b) => Math.max(a, b), 0);
    if (counts.length > 1 && min < 0.5 * max) {
      const sorted = Object.entries(classBalance).sort(([a], [b]) => a.localeCompare(b));
      warnings.push(`imbalanced classes: ${sorted.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
  }
  const missingTarget = targetIndex >= 0 ? (columns[targetIndex]?.missing ?? 0) : 0;
  if (missingTarget > 0) warnings.push(`${missingTarget} rows have no target: they are dropped`);
  return {
    file: table.file,
    rows: rows.length,
    columns,
    duplicateRows,
    constantColumns,
    classBalance,
    missingTarget,
    excludedColumns,
    warnings,
  };
}
