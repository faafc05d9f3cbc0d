import type { RawTable } from '../data/csv.js';
import { columnIndex } from '../data/prepare.js';
import { readTable } from '../data/read.js';
import type { StudyConfig } from '../space/schema.js';

/**
 * Reads a validated study's dataset and checks the columns it names: what `run` checks after the schema and before
 * it opens storage, and what `validate` checks without ever opening it. Null for a study without a data block.
 * Throws an InputError naming the file, the column or the JSON path.
 */
export function readStudyData(config: StudyConfig): RawTable | null {
  if (!config.data) return null;
  const table = readTable(config.data.source, { maxRows: config.data.maxRows, maxBytes: config.data.maxBytes });
  columnIndex(table, config.data.target, 'data.target');
  config.data.features?.forEach((name, i) => columnIndex(table, name, `data.features[${i}]`));
  return table;
}
