import { InputError } from '../core/errors.js';
import { quoteCell, type RawTable } from '../data/csv.js';
import { lineOf } from '../data/csv.js';

/**
 * The series a prediction file holds for a series export whose series column is `column`. Either every row holds
 * a whole series (a JSON array of numbers: a JSON Lines field, or a quoted CSV cell `"[112, 118, …]"`), one
 * forecast per row; or the rows hold one value each, like the study's own dataset, and the file is one series in
 * file order (empty cells skipped, as training dropped them), of which the model reads the last values.
 */
export function seriesFromTable(table: RawTable, column: string): { series: number[][]; perRow: boolean } {
  const index = table.columns.indexOf(column);
  if (index < 0) throw new InputError(`${table.file}: no column "${column}" (the series the model forecasts)`, { file: table.file });
  const cells = table.rows.map((row) => (row[index] ?? '').trim());
  const fail = (row: number, problem: string) =>
    new InputError(`${table.file}: line ${lineOf(table, row)}, column "${column}": ${problem}`, { file: table.file });
  const number = (text: string, row: number): number => {
    const value = text === '' ? NaN : Number(text);
    if (!Number.isFinite(value)) throw fail(row, `expected a number, got ${quoteCell(text)}`);
    return value;
  };
  if (cells.some((cell) => cell.startsWith('['))) {
    const series = cells.map((cell, row) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(cell);
      } catch {
        throw fail(row, `expected a JSON array of numbers (one series per row), got ${quoteCell(cell)}`);
      }
      if (!Array.isArray(parsed)) throw fail(row, `expected a JSON array of numbers (one series per row), got ${quoteCell(cell)}`);
      return parsed.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : number(String(v), row)));
    });
    return { series, perRow: true };
  }
  const values: number[] = [];
  cells.forEach((cell, row) => cell !== '' && values.push(number(cell, row)));
  if (values.length === 0) throw new InputError(`${table.file}: column "${column}" holds no values`, { file: table.file });
  return { series: [values], perRow: false };
}
