import type * as tfTypes from '@tensorflow/tfjs';
import { TrialFailedError } from '../core/errors.js';
import type { PreparedDataset } from '../data/prepared-dataset.js';
import { cholesky, choleskySolve } from '../maths/linalg.js';
import { targetWidth } from './fit.js';

/**
 * Fits a linear model in closed form: w = (XᵀX + αI)⁻¹ Xᵀy on the training split, with an unpenalised intercept,
 * and writes it into the model's single dense layer. What gradient descent with early stopping only approaches
 * (a linear autoregression, for one), in one step. With several targets per row (a direct series forecast: one
 * per horizon step) each output is its own regression on the same inputs, so they share one factorisation.
 */
export function fitRidge(tf: typeof tfTypes, model: tfTypes.LayersModel, dataset: PreparedDataset, alpha: number): void {
  const { x, y, rows } = dataset.train;
  const d = dataset.nFeatures;
  const outputs = targetWidth(dataset);
  const p = d + 1; // weights and the intercept, last
  const gram = new Float64Array(p * p);
  const rhs = Array.from({ length: outputs }, () => new Float64Array(p));
  const row = new Float64Array(p);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) row[j] = x[r * d + j] as number;
    row[d] = 1;
    for (let i = 0; i < p; i++) {
      const ri = row[i] as number;
      for (let o = 0; o < outputs; o++) rhs[o]![i]! += ri * (y[r * outputs + o] as number);
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
  const solvable = factor;
  const solved = rhs.map((b) => choleskySolve(solvable, p, b));
  // The kernel is [inputs, outputs], row-major: input j's weight for output o at j·outputs + o.
  const kernel = new Float32Array(d * outputs);
  const bias = new Float32Array(outputs);
  solved.forEach((w, o) => {
    for (let j = 0; j < d; j++) kernel[j * outputs + o] = w[j] as number;
    bias[o] = w[d] as number;
  });
  const weights = [tf.tensor2d(kernel, [d, outputs]), tf.tensor1d(bias)];
  model.setWeights(weights);
  tf.dispose(weights);
}
