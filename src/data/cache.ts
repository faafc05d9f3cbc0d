import { statSync } from 'node:fs';
import type { DataConfig } from '../space/schema.js';
import { readTable } from './read.js';
import { prepareDataset, type PreparedDataset } from './prepare.js';

const cache = new Map<string, PreparedDataset>();

/**
 * The prepared dataset for a study, loaded once per thread: each worker reads and splits the file on its first
 * trial, and later trials reuse it instead of receiving the data with every task. A changed file (size or mtime)
 * is read again.
 */
export function loadDataset(data: DataConfig, seed: number, fold?: number): PreparedDataset {
  let stamp = '';
  try {
    const stat = statSync(data.source);
    stamp = `${stat.size}:${stat.mtimeMs}`;
  } catch {
    // readCsv reports the missing file with its name.
  }
  const key = JSON.stringify([data, seed, stamp, fold ?? null]);
  let dataset = cache.get(key);
  if (!dataset) {
    dataset = prepareDataset(readTable(data.source, { maxRows: data.maxRows, maxBytes: data.maxBytes }), data, seed, fold);
    cache.set(key, dataset);
  }
  return dataset;
}
