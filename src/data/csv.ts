import { parse } from 'csv-parse/sync';
import { InputError } from '../core/errors.js';
import { LIMITS } from '../space/limits.js';
import { readDatasetBytes, type ReadOptions } from './size-limit.js';

/** A table of raw strings as read from a file: a missing value is the empty string. */
export interface RawTable {
  readonly file: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** The file's line on which each row starts (the header is line 1), as an editor shows it; see {@link lineOf}. */
  readonly lines?: readonly number[];
}

/** The line of the file on which data row `row` (0-based) starts: blank lines and quoted line breaks counted. */
export function lineOf(table: RawTable, row: number): number {
  return table.lines?.[row] ?? row + 2;
}

interface CsvParseError extends Error {
  readonly code?: string;
  readonly lines?: number;
  readonly record?: readonly unknown[];
}

/** csv-parse's own wording ("Invalid Record Length: expect 3, got 2") does not say which count is the header's. */
function csvProblem(error: CsvParseError): string {
  if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && error.lines !== undefined && error.record !== undefined) {
    const fields = error.record.length;
    return `line ${error.lines} has ${fields} field${fields === 1 ? '' : 's'}, but the header has ${error.message.match(/expect (\d+)/)?.[1] ?? 'a different number'} (a ragged row; quote a value that contains a comma)`;
  }
  return `not a valid CSV file (${error.message})`;
}

/** A cell as quoted in an error message: a 10 MB cell must not make a 10 MB message. */
export function quoteCell(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * Reads a CSV file with a header row (RFC 4180 quoting, via csv-parse). Refuses files over the size limit, ragged
 * rows and duplicate column names, naming the file and the line.
 *
 * @example const table = readCsv('datasets/wine.csv', { maxRows: 10_000, maxBytes: 64 * 1024 * 1024 });
 */
export function readCsv(file: string, options: ReadOptions = {}): RawTable {
  const bytes = readDatasetBytes(file, options.maxBytes);
  let records: string[][];
  const lines: number[] = [];
  try {
    records = parse(bytes, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      // Named rather than detected: detection rescans the first record byte by byte until it finds a line end, so a
      // 10 MB first line took seconds. Any of the three ends a record; inside quotes they stay part of the value.
      record_delimiter: ['\r\n', '\n', '\r'],
      // Stop early: one row past the limit is enough to know it is too long.
      to_line: (options.maxRows ?? LIMITS.rows) + 2,
      // csv-parse counts the line a record ends on; a quoted value with line breaks started that many lines before.
      on_record: (record: string[], context: { lines: number }) => {
        lines.push(context.lines - record.reduce((breaks, value) => breaks + lineBreaks(value), 0));
        return record;
      },
    }) as string[][];
  } catch (error) {
    throw new InputError(`${file}: ${csvProblem(error as CsvParseError)}`, { file, cause: error });
  }
  const [header, ...rows] = records;
  if (!header || header.length === 0) throw new InputError(`${file}: the CSV file is empty`, { file });
  const maxRows = options.maxRows ?? LIMITS.rows;
  if (rows.length > maxRows) throw new InputError(`${file}: more than ${maxRows} rows (data.maxRows)`, { file });
  const seen = new Set<string>();
  for (const column of header) {
    if (column === '') throw new InputError(`${file}: the header has an empty column name`, { file });
    if (seen.has(column)) throw new InputError(`${file}: column "${column}" appears twice in the header`, { file });
    seen.add(column);
  }
  return { file, columns: header, rows, lines: lines.slice(1) };
}

function lineBreaks(value: string): number {
  let count = 0;
  for (let at = value.indexOf('\n'); at >= 0; at = value.indexOf('\n', at + 1)) count++;
  return count;
}
