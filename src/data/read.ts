import { extname } from 'node:path';
import { readCsv, type RawTable } from './csv.js';
import { readJsonRows } from './json.js';
import type { ReadOptions } from './size-limit.js';

/** Reads a dataset by its extension: `.jsonl` / `.json` as JSON rows, anything else as CSV. */
export function readTable(file: string, options: ReadOptions = {}): RawTable {
  return isJsonFile(file) ? readJsonRows(file, options) : readCsv(file, options);
}

/** The file line a data row came from, as error messages name it: CSV rows follow a header line, JSON rows do not. */
export function lineOfRow(file: string, row: number): number {
  return isJsonFile(file) ? row + 1 : row + 2;
}

function isJsonFile(file: string): boolean {
  const ext = extname(file).toLowerCase();
  return ext === '.jsonl' || ext === '.ndjson' || ext === '.json';
}
