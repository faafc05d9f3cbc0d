import type * as tfTypes from '@tensorflow/tfjs';
import { TrialFailedError } from '../core/errors.js';
import type { PreparedDataset } from '../data/prepared-dataset.js';
import { chooseRidgeAlpha, normalEquations, solveRidge } from '../maths/ridge.js';
import { setDenseWeights } from './dense-weights.js';
import { targetWidth } from './fit.js';

/**
 * Fits a linear model in closed form: w = (XᵀX + αI)⁻¹ Xᵀy on the training split, with an unpenalised intercept,
 * and writes it into the model's single dense layer. What gradient descent with early stopping only approaches
 * (a linear autoregression, for one), in one step. With several targets per row (a direct series forecast: one
 * per horizon step) each output is its own regression on the same inputs. `alpha: "auto"` takes, per output, the
 * α of least leave-one-out error on the training split (exact, in closed form). Returns the α used (with several
 * outputs, the geometric mean of theirs).
 */
export function fitRidge(tf: typeof tfTypes, model: tfTypes.LayersModel, dataset: PreparedDataset, alpha: number | 'auto'): number {
  const { x, y, rows } = dataset.train;
  const features = dataset.nFeatures;
  const outputs = targetWidth(dataset);
  const coefficients = new Float64Array((features + 1) * outputs);
  let logAlpha = 0;
  for (let o = 0; o < outputs; o++) {
    const column = outputs === 1 ? y : Float32Array.from({ length: rows }, (_, r) => y[r * outputs + o] as number);
    const problem = { x, y: column, rows, features };
    const chosen = alpha === 'auto' ? chooseRidgeAlpha(problem).alpha : alpha;
    const w = solveRidge(normalEquations(problem), chosen);
    if (!w) throw new TrialFailedError('ridge: the normal equations are singular');
    // The kernel is [inputs, outputs] row-major with the bias as its last row: input j's weight for output o at j·outputs + o.
    for (let j = 0; j <= features; j++) coefficients[j * outputs + o] = w[j] as number;
    logAlpha += Math.log(Math.max(chosen, Number.MIN_VALUE));
  }
  setDenseWeights(tf, model, coefficients, features, outputs);
  return alpha === 'auto' ? Math.exp(logAlpha / outputs) : alpha;
}
