import { InputError } from '../core/errors.js';
import type { DataConfig } from '../space/schema.js';
import type { RawTable } from './csv.js';
import { readTable } from './read.js';

/**
 * The study's dataset, and its held-out test file (`data.test.source`) when it names one. The test file is read with
 * the same limits and checks as the source, must have the same columns (in any order), and comes back with its cells
 * in the source's column order, so one set of column indices reads both.
 */
export function readStudyTables(data: DataConfig): { table: RawTable; testTable?: RawTable } {
  const table = readTable(data.source, { maxRows: data.maxRows, maxBytes: data.maxBytes });
  if (!data.test) return { table };
  return { table, testTable: alignedTestTable(table, readTable(data.test.source, { maxRows: data.maxRows, maxBytes: data.maxBytes })) };
}

function alignedTestTable(source: RawTable, test: RawTable): RawTable {
  const position = new Map(test.columns.map((c, i) => [c, i]));
  const missing = source.columns.find((c) => !position.has(c));
  if (missing !== undefined) {
    throw new InputError(`${test.file}: data.test.source has no column "${missing}" (it needs the columns of ${source.file})`, {
      file: test.file,
    });
  }
  const sourceColumns = new Set(source.columns);
  const extra = test.columns.find((c) => !sourceColumns.has(c));
  if (extra !== undefined) {
    throw new InputError(
      `${test.file}: data.test.source has column "${extra}", which ${source.file} does not (the files need the same columns)`,
      { file: test.file },
    );
  }
  const order = source.columns.map((c) => position.get(c) as number);
  return { file: test.file, columns: source.columns, rows: test.rows.map((row) => order.map((i) => row[i] ?? '')) };
}
