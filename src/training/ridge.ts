import type * as tfTypes from '@tensorflow/tfjs';
import { TrialFailedError } from '../core/errors.js';
import type { PreparedDataset } from '../data/prepared-dataset.js';
import { chooseRidgeAlpha, normalEquations, solveRidge } from '../maths/ridge.js';
import { setDenseWeights } from './dense-weights.js';

/**
 * Fits a linear model in closed form: w = (XᵀX + αI)⁻¹ Xᵀy on the training split, with an unpenalised intercept,
 * and writes it into the model's single dense layer. What gradient descent with early stopping only approaches
 * (a linear autoregression, for one), in one step. `alpha: "auto"` takes the α of least leave-one-out error on the
 * training split (exact, in closed form). Returns the α used.
 */
export function fitRidge(tf: typeof tfTypes, model: tfTypes.LayersModel, dataset: PreparedDataset, alpha: number | 'auto'): number {
  const { x, y, rows } = dataset.train;
  const problem = { x, y, rows, features: dataset.nFeatures };
  const chosen = alpha === 'auto' ? chooseRidgeAlpha(problem).alpha : alpha;
  const w = solveRidge(normalEquations(problem), chosen);
  if (!w) throw new TrialFailedError('ridge: the normal equations are singular');
  setDenseWeights(tf, model, w, dataset.nFeatures, 1);
  return chosen;
}
