import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { InputError } from '../core/errors.js';
import type { FittedPreprocessing } from '../data/fitted-preprocessing.js';
import { readJson, saveModelFiles } from './model-files.js';

/** Predictions of one model on the validation and test splits, with the targets they are scored against. */
export interface SplitPredictions {
  /** Values per row: class probabilities (classification, row-major) or one value in target units (regression). */
  readonly width: number;
  readonly validation: Float32Array;
  readonly validationTargets: Float32Array;
  readonly test: Float32Array;
  readonly testTargets: Float32Array;
}

/**
 * The dataset rows the validation and test predictions line up with: 0-based data rows (the header is not a row) of
 * `file`, in the order of the prediction files. The test rows come from `data.test.source` when the study names one.
 */
export interface SplitSourceRows {
  readonly validation: { readonly file: string; readonly rows: readonly number[] };
  readonly test: { readonly file: string; readonly rows: readonly number[] };
}

/** Where a trial's {@link SplitSourceRows} are kept, beside its predictions. */
export const ROWS_FILE = 'rows.json';

const FILES = {
  validation: 'validation.f32',
  validationTargets: 'validation-targets.f32',
  test: 'test.f32',
  testTargets: 'test-targets.f32',
} as const;

/**
 * Writes what a completed trial leaves for ensembles and export: its model (a LayersModel directory), the fitted
 * preprocessing that feeds it, and its validation and test predictions as raw little-endian float32 files.
 * Returns the bytes written.
 */
export async function writeTrialArtifacts(
  tf: typeof tfTypes,
  dir: string,
  contents: { model: tfTypes.LayersModel; preprocessing: FittedPreprocessing; predictions: SplitPredictions; rows?: SplitSourceRows },
): Promise<number> {
  let bytes = await saveModelFiles(tf, contents.model, dir);
  const preprocessing = JSON.stringify(contents.preprocessing);
  writeFileSync(join(dir, 'preprocessing.json'), preprocessing);
  bytes += Buffer.byteLength(preprocessing);
  const { width } = contents.predictions;
  for (const [key, file] of Object.entries(FILES)) {
    const values = contents.predictions[key as keyof typeof FILES];
    writeFileSync(join(dir, file), new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    bytes += values.byteLength;
  }
  writeFileSync(join(dir, 'predictions.json'), JSON.stringify({ format: 1, width }));
  if (contents.rows) {
    const rows = JSON.stringify({ format: 1, ...contents.rows });
    writeFileSync(join(dir, ROWS_FILE), rows);
    bytes += Buffer.byteLength(rows);
  }
  return bytes;
}

/** Reads a trial's predictions back; a missing or truncated file is named in the error. */
export function readTrialPredictions(dir: string): SplitPredictions {
  const { width } = readJson(join(dir, 'predictions.json')) as { width: number };
  const read = (file: string): Float32Array => {
    const path = join(dir, file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new InputError(`${path}: missing or unreadable`, { file: path, cause: error });
    }
    if (bytes.byteLength % 4 !== 0)
      throw new InputError(`${path}: truncated (${bytes.byteLength} bytes is not whole float32 values)`, { file: path });
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  };
  const predictions = {
    width,
    validation: read(FILES.validation),
    validationTargets: read(FILES.validationTargets),
    test: read(FILES.test),
    testTargets: read(FILES.testTargets),
  };
  for (const split of ['validation', 'test'] as const) {
    if (predictions[split].length !== predictions[`${split}Targets`].length * width) {
      throw new InputError(
        `${join(dir, FILES[split])}: ${predictions[split].length} values for ${predictions[`${split}Targets`].length} rows of width ${width}`,
        { file: join(dir, FILES[split]) },
      );
    }
  }
  return predictions;
}

/** Which dataset rows a trial's validation and test predictions belong to. */
export function readTrialRows(dir: string): SplitSourceRows {
  const { validation, test } = readJson(join(dir, ROWS_FILE)) as SplitSourceRows;
  return { validation, test };
}

/** The fitted preprocessing a trial's model reads through. */
export function readPreprocessing(dir: string): FittedPreprocessing {
  return readJson(join(dir, 'preprocessing.json')) as FittedPreprocessing;
}
