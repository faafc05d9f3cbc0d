import { extname } from 'node:path';
import { readCsv, type RawTable } from './csv.js';
import { readJsonRows } from './json.js';
import type { ReadOptions } from './size-limit.js';

/** Reads a dataset by its extension: `.jsonl` / `.json` as JSON rows, anything else as CSV. */
export function readTable(file: string, options: ReadOptions = {}): RawTable {
  return isJsonFile(file) ? readJsonRows(file, options) : readCsv(file, options);
}

function isJsonFile(file: string): boolean {
  const ext = extname(file).toLowerCase();
  return ext === '.jsonl' || ext === '.ndjson' || ext === '.json';
}
