// Real models on real datasets for the ensemble tests: a handful of deliberately different plain-JS learners
// (softmax regressions with different L2 strengths and feature subsets, k-nearest neighbours, Gaussian naive
// Bayes, ridge regressions) whose validation and test predictions become the ensemble candidates.
import { Rng } from '../../src/core/rng.js';
import { prepareDataset, readCsv, type PreparedDataset, type SplitData } from '../../src/data/index.js';
import type { Candidate } from '../../src/ensemble/index.js';
import { cholesky, choleskySolve } from '../../src/maths/linalg.js';
import { parseStudy } from '../../src/space/index.js';
import { repoPath } from '../helpers/tmp.js';

export function loadPrepared(file: string, target: string, task: 'classification' | 'regression', seed: number): PreparedDataset {
  const data = parseStudy({
    name: 'e',
    objective: { direction: 'maximize', metric: 'val_accuracy' },
    data: { source: 'x', target, task },
    space: { loss: 'auto' },
  }).data!;
  return prepareDataset(readCsv(repoPath('datasets', file)), data, seed);
}

/** A model as a function from a split to row-major predictions. */
type Predictor = (split: SplitData) => Float32Array;

export function candidatesFrom(dataset: PreparedDataset, models: readonly Predictor[]): Candidate[] {
  return models.map((predict, id) => ({ id, validation: predict(dataset.validation), test: predict(dataset.test) }));
}

/** Columns kept by a seeded random feature subset (a cheap way to make members disagree). */
export function featureSubset(features: number, fraction: number, rng: Rng): number[] {
  const all = Array.from({ length: features }, (_, i) => i);
  return rng
    .shuffle(all)
    .slice(0, Math.max(1, Math.round(features * fraction)))
    .sort((a, b) => a - b);
}

/** Softmax regression by full-batch gradient descent on the given columns. */
export function softmaxRegression(
  dataset: PreparedDataset,
  classes: number,
  options: { l2: number; columns: readonly number[]; steps: number; rate: number },
): Predictor {
  const { train, nFeatures } = dataset;
  const cols = options.columns;
  const w = new Float64Array((cols.length + 1) * classes);
  const logits = (x: Float32Array, r: number, out: Float64Array) => {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      let z = w[cols.length * classes + c] as number;
      cols.forEach((col, j) => (z += (x[r * nFeatures + col] as number) * (w[j * classes + c] as number)));
      out[c] = z;
      max = Math.max(max, z);
    }
    let total = 0;
    for (let c = 0; c < classes; c++) total += out[c] = Math.exp((out[c] as number) - max);
    for (let c = 0; c < classes; c++) out[c]! /= total;
  };
  const p = new Float64Array(classes);
  for (let step = 0; step < options.steps; step++) {
    const grad = new Float64Array(w.length);
    for (let r = 0; r < train.rows; r++) {
      logits(train.x, r, p);
      for (let c = 0; c < classes; c++) {
        const residual = ((p[c] as number) - (train.y[r] === c ? 1 : 0)) / train.rows;
        cols.forEach((col, j) => (grad[j * classes + c]! += (train.x[r * nFeatures + col] as number) * residual));
        grad[cols.length * classes + c]! += residual;
      }
    }
    for (let i = 0; i < w.length; i++)
      w[i]! -= options.rate * ((grad[i] as number) + (i < cols.length * classes ? options.l2 * (w[i] as number) : 0));
  }
  return (split) => {
    const out = new Float32Array(split.rows * classes);
    for (let r = 0; r < split.rows; r++) {
      logits(split.x, r, p);
      out.set(p, r * classes);
    }
    return out;
  };
}

/** Distances from each row of `split` to every training row, nearest first. */
function neighbours(dataset: PreparedDataset, split: SplitData, k: number): number[][] {
  const { train, nFeatures: d } = dataset;
  return Array.from({ length: split.rows }, (_, r) => {
    const distances = Array.from({ length: train.rows }, (_, t) => {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += ((split.x[r * d + j] as number) - (train.x[t * d + j] as number)) ** 2;
      return { t, sum };
    });
    return distances
      .sort((a, b) => a.sum - b.sum || a.t - b.t)
      .slice(0, k)
      .map((e) => e.t);
  });
}

/** k-NN class shares, smoothed so no class gets probability 0. */
export function knnClassifier(dataset: PreparedDataset, classes: number, k: number): Predictor {
  return (split) => {
    const out = new Float32Array(split.rows * classes);
    neighbours(dataset, split, k).forEach((near, r) => {
      for (let c = 0; c < classes; c++) out[r * classes + c] = 0.5 / (k + 0.5 * classes);
      for (const t of near) out[r * classes + (dataset.train.y[t] as number)]! += 1 / (k + 0.5 * classes);
    });
    return out;
  };
}

/** Gaussian naive Bayes with a variance floor. */
export function gaussianNaiveBayes(dataset: PreparedDataset, classes: number): Predictor {
  const { train, nFeatures: d } = dataset;
  const count = new Float64Array(classes);
  const mean = new Float64Array(classes * d);
  const variance = new Float64Array(classes * d);
  for (let r = 0; r < train.rows; r++) {
    const c = train.y[r] as number;
    count[c]!++;
    for (let j = 0; j < d; j++) mean[c * d + j]! += train.x[r * d + j] as number;
  }
  for (let i = 0; i < mean.length; i++) mean[i]! /= count[Math.floor(i / d)] as number;
  for (let r = 0; r < train.rows; r++) {
    const c = train.y[r] as number;
    for (let j = 0; j < d; j++) variance[c * d + j]! += ((train.x[r * d + j] as number) - (mean[c * d + j] as number)) ** 2;
  }
  for (let i = 0; i < variance.length; i++) variance[i] = (variance[i] as number) / (count[Math.floor(i / d)] as number) + 0.05;
  return (split) => {
    const out = new Float32Array(split.rows * classes);
    const log = new Float64Array(classes);
    for (let r = 0; r < split.rows; r++) {
      for (let c = 0; c < classes; c++) {
        let s = Math.log((count[c] as number) / train.rows);
        for (let j = 0; j < d; j++) {
          const v = variance[c * d + j] as number;
          s -= 0.5 * Math.log(2 * Math.PI * v) + ((split.x[r * d + j] as number) - (mean[c * d + j] as number)) ** 2 / (2 * v);
        }
        log[c] = s;
      }
      const max = Math.max(...log);
      let total = 0;
      for (let c = 0; c < classes; c++) total += Math.exp((log[c] as number) - max);
      for (let c = 0; c < classes; c++) out[r * classes + c] = Math.exp((log[c] as number) - max) / total;
    }
    return out;
  };
}

/** Ridge regression on the given columns; predictions in target units. */
export function ridgeRegressor(dataset: PreparedDataset, columns: readonly number[], alpha: number): Predictor {
  const { train, nFeatures } = dataset;
  const p = columns.length + 1;
  const gram = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const row = (x: Float32Array, r: number) => [...columns.map((c) => x[r * nFeatures + c] as number), 1];
  for (let r = 0; r < train.rows; r++) {
    const v = row(train.x, r);
    for (let i = 0; i < p; i++) {
      rhs[i]! += (v[i] as number) * (train.y[r] as number);
      for (let j = 0; j < p; j++) gram[i * p + j]! += (v[i] as number) * (v[j] as number);
    }
  }
  for (let i = 0; i < p - 1; i++) gram[i * p + i]! += alpha;
  const w = choleskySolve(cholesky(gram, p)!, p, rhs);
  return (split) =>
    Float32Array.from({ length: split.rows }, (_, r) =>
      toUnits(
        dataset,
        row(split.x, r).reduce((s, v, i) => s + v * (w[i] as number), 0),
      ),
    );
}

/** k-NN mean target, in target units. */
export function knnRegressor(dataset: PreparedDataset, k: number): Predictor {
  return (split) =>
    Float32Array.from(neighbours(dataset, split, k), (near) =>
      toUnits(dataset, near.reduce((s, t) => s + (dataset.train.y[t] as number), 0) / k),
    );
}

/** A regression split's targets in their own units (prepareDataset standardizes them). */
export function targetsInUnits(dataset: PreparedDataset, split: SplitData): Float32Array {
  return Float32Array.from(split.y, (y) => toUnits(dataset, y));
}

function toUnits(dataset: PreparedDataset, standardized: number): number {
  const scaler = dataset.targetScaler!;
  return standardized * scaler.std + scaler.mean;
}

export { Rng };
