import { statSync } from 'node:fs';
import type { DataConfig } from '../space/schema.js';
import { readStudyTables } from './held-out.js';
import { prepareDataset } from './prepare.js';
import type { PreparedDataset } from './prepared-dataset.js';

const cache = new Map<string, PreparedDataset>();

/**
 * The prepared dataset for a study, loaded once per thread: each worker reads and splits the file on its first
 * trial, and later trials reuse it instead of receiving the data with every task. A changed file (size or mtime)
 * is read again; so is a changed test file.
 */
export function loadDataset(data: DataConfig, seed: number, fold?: number): PreparedDataset {
  const stamps = [data.source, ...(data.test ? [data.test.source] : [])].map(stampOf);
  const key = JSON.stringify([data, seed, stamps, fold ?? null]);
  let dataset = cache.get(key);
  if (!dataset) {
    const { table, testTable } = readStudyTables(data);
    dataset = prepareDataset(table, data, seed, fold, testTable);
    cache.set(key, dataset);
  }
  return dataset;
}

function stampOf(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    // The reader reports the missing file with its name.
    return '';
  }
}
