import { statSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { RawTable } from '../data/csv.js';
import { columnIndex } from '../data/prepare.js';
import { readStudyTables } from '../data/held-out.js';
import type { StudyConfig } from '../space/schema.js';

/**
 * What `run` checks after the schema and before it opens storage, and what `validate` checks without ever opening
 * it: the objective and loss modules are files, the dataset (and a held-out test file, which must have the source's
 * columns) reads within its limits, and the columns it names are there. Returns the dataset (null for a study without a data block). Throws an InputError naming the file, the
 * column or the JSON path, so a study that cannot start writes nothing.
 */
export function checkStudyInputs(config: StudyConfig): RawTable | null {
  requireFile(config.objective.module, 'objective.module');
  requireFile(config.training.lossModule, 'training.lossModule');
  if (!config.data) return null;
  const { table } = readStudyTables(config.data);
  columnIndex(table, config.data.target, 'data.target');
  config.data.features?.forEach((name, i) => columnIndex(table, name, `data.features[${i}]`));
  return table;
}

function requireFile(path: string | undefined, jsonPath: string): void {
  if (path === undefined) return;
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    // Missing or unreadable: reported below with the path.
  }
  if (!isFile) throw new InputError(`${jsonPath}: no module file at ${path}`, { file: path });
}
