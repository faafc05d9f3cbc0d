import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { loadModelFiles, readJson } from '../artifacts/model-files.js';
import { readPreprocessing } from '../artifacts/trial-artifacts.js';
import { InputError } from '../core/errors.js';
import { predictEnsemble } from '../ensemble/evaluate.js';
import { ensureBackend, tf, type BackendName } from '../training/backend.js';
import { verifyChecksums } from './checksums.js';
import { EXPORT_FORMAT_VERSION, MANIFEST_FILE, type Manifest } from './manifest.js';
import {
  seriesValues,
  stepsPerCall,
  toTargetUnits,
  transformRows,
  type FittedPreprocessing,
  type RawRow,
} from '../data/fitted-preprocessing.js';

/** A loaded export: raw rows in, labels or values out, through exactly the training preprocessing. */
export interface Predictor {
  readonly manifest: Manifest;
  /** The TensorFlow.js backend the models run on. */
  readonly backend: BackendName;
  /** A label per row (classification) or a value in the target's units (regression). */
  predict(rows: readonly RawRow[]): (string | number)[];
  /** Class probabilities per row, in the order of `manifest.labels` (classification). */
  predictProba(rows: readonly RawRow[]): number[][];
  /**
   * Series: the next `horizon` values after each row's series, forecast as training forecast its validation and
   * test horizons: recursively (each forecast is appended to the series and read as the latest value for the next
   * step), or, for a direct model, its horizon's steps from one call (past that horizon, the next call reads them).
   */
  forecast(rows: readonly RawRow[], horizon: number): number[][];
  dispose(): void;
}

/** Steps one forecast may take: the largest test horizon a study may define. */
export const MAX_HORIZON = 10_000;

interface LoadedMember {
  readonly trial: number;
  readonly model: tfTypes.LayersModel;
  readonly preprocessing: FittedPreprocessing;
}

/**
 * Loads an export directory written by `autotune export`. Refuses a manifest from a newer format, and any file whose
 * checksum differs from the manifest's (a tampered or corrupted export is never run).
 *
 * @example const model = await loadModel('./wine-model'); model.predict([{ alcohol: 13.2, … }]) // ['class_1']
 */
export async function loadModel(dir: string, options: { backend?: 'auto' | BackendName } = {}): Promise<Predictor> {
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifest = readJson(manifestPath) as Manifest;
  if (manifest.format !== 'autotune-export')
    throw new InputError(`${manifestPath}: not an autotune export manifest`, { file: manifestPath });
  if (typeof manifest.version !== 'number' || manifest.version > EXPORT_FORMAT_VERSION) {
    throw new InputError(
      `${manifestPath}: export format ${String(manifest.version)} was written by a newer autotune; this version reads formats up to ${EXPORT_FORMAT_VERSION}`,
      { file: manifestPath },
    );
  }
  verifyChecksums(dir, manifest.checksums);
  const backend = await ensureBackend(options.backend ?? 'auto');
  const members: LoadedMember[] = [];
  for (const member of manifest.members) {
    const path = join(dir, member.path);
    members.push({ trial: member.trial, model: await loadModelFiles(tf, path), preprocessing: readPreprocessing(path) });
  }
  const classes = manifest.labels.length;
  // A direct series model gives its horizon's steps per call; members of one study all forecast the same way.
  const steps = Math.max(1, ...members.map((m) => stepsPerCall(m.preprocessing)));
  const problem = { task: manifest.task, classes };
  /** The combined outputs for each step one call gives (one step unless direct). */
  const stepOutputs = (rows: readonly RawRow[]): Float32Array[] => {
    if (!Array.isArray(rows)) throw new InputError('predict: expected an array of rows');
    const predictions = new Map<number, Float32Array>();
    for (const member of members) predictions.set(member.trial, memberOutputs(member, rows));
    if (steps === 1) return [predictEnsemble(manifest.combination, predictions, problem)];
    return Array.from({ length: steps }, (_, step) => {
      const atStep = new Map([...predictions].map(([trial, values]) => [trial, values.filter((_, i) => i % steps === step)]));
      return predictEnsemble(manifest.combination, atStep, problem);
    });
  };
  const outputs = (rows: readonly RawRow[]): Float32Array => stepOutputs(rows)[0] as Float32Array;
  return {
    manifest,
    backend,
    predict(rows) {
      const values = outputs(rows);
      if (manifest.task === 'regression') return Array.from(values);
      return Array.from(
        { length: rows.length },
        (_, r) => manifest.labels[argmax(values.subarray(r * classes, (r + 1) * classes))] as string,
      );
    },
    predictProba(rows) {
      if (manifest.task !== 'classification') throw new InputError('predictProba: this export is a regression model; use predict');
      const values = outputs(rows);
      return Array.from({ length: rows.length }, (_, r) => Array.from(values.subarray(r * classes, (r + 1) * classes)));
    },
    forecast(rows, horizon) {
      if (manifest.input.kind !== 'series') throw new InputError('horizon: only a series export forecasts several steps ahead');
      if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON)
        throw new InputError(`horizon: expected a whole number from 1 to ${MAX_HORIZON}, got ${horizon}`);
      if (!Array.isArray(rows)) throw new InputError('predict: expected an array of rows');
      const column = manifest.input.columns[0] as string;
      // Rows are read once through the preprocessing's own checks, so a bad row is named before any forecast runs.
      const window = Math.max(...members.map((m) => m.preprocessing.series?.lookback ?? 1));
      let series = rows.map((row, r) => seriesValues(row, column, r));
      const forecasts = rows.map((): number[] => []);
      for (let done = 0; done < horizon; ) {
        for (const next of stepOutputs(series)) {
          if (done === horizon) break;
          series = series.map((values, r) => [...values.slice(-window), next[r] as number]);
          forecasts.forEach((f, r) => f.push(next[r] as number));
          done++;
        }
      }
      return forecasts;
    },
    dispose() {
      for (const member of members) member.model.dispose();
    },
  };
}

/** One member's outputs: probabilities, or values in target units (what ensembles were selected on). */
function memberOutputs(member: LoadedMember, rows: readonly RawRow[]): Float32Array {
  const pre = member.preprocessing;
  const x = transformRows(pre, rows);
  const output = tf.tidy(() => {
    const prediction = member.model.predict(tf.tensor(x, [rows.length, ...pre.inputShape]), { batchSize: 512 });
    return (Array.isArray(prediction) ? prediction[0] : prediction) as tfTypes.Tensor;
  });
  const values = output.dataSync() as Float32Array;
  output.dispose();
  return pre.task === 'regression' ? values.map((v) => toTargetUnits(pre.targetScaler, v)) : values;
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}
