import type * as tfTypes from '@tensorflow/tfjs';
import { TrialFailedError } from '../core/errors.js';
import type { PreparedDataset } from '../data/prepared-dataset.js';
import { cholesky, choleskySolve } from '../maths/linalg.js';

/**
 * Fits a linear model in closed form: w = (XᵀX + αI)⁻¹ Xᵀy on the training split, with an unpenalised intercept,
 * and writes it into the model's single dense layer. What gradient descent with early stopping only approaches
 * (a linear autoregression, for one), in one step.
 */
export function fitRidge(tf: typeof tfTypes, model: tfTypes.LayersModel, dataset: PreparedDataset, alpha: number): void {
  const { x, y, rows } = dataset.train;
  const d = dataset.nFeatures;
  const p = d + 1; // weights and the intercept, last
  const gram = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const row = new Float64Array(p);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) row[j] = x[r * d + j] as number;
    row[d] = 1;
    const target = y[r] as number;
    for (let i = 0; i < p; i++) {
      const ri = row[i] as number;
      rhs[i]! += ri * target;
      for (let j = 0; j <= i; j++) gram[i * p + j]! += ri * (row[j] as number);
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) gram[j * p + i] = gram[i * p + j] as number;
  for (let i = 0; i < d; i++) gram[i * p + i]! += alpha;
  let factor = cholesky(gram, p);
  // A singular system (α = 0 with collinear inputs) gets a whisper of ridge rather than failing.
  for (let jitter = 1e-10; !factor && jitter < 1; jitter *= 100) {
    for (let i = 0; i < p; i++) gram[i * p + i]! += jitter;
    factor = cholesky(gram, p);
  }
  if (!factor) throw new TrialFailedError('ridge: the normal equations are singular');
  const w = choleskySolve(factor, p, rhs);
  const weights = [tf.tensor2d(Float32Array.from(w.subarray(0, d)), [d, 1]), tf.tensor1d([w[d] as number])];
  model.setWeights(weights);
  tf.dispose(weights);
}
