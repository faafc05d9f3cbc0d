import type * as tfTypes from '@tensorflow/tfjs';
import type { PreparedDataset } from '../data/prepared-dataset.js';
import { fitMultinomialLogistic } from '../maths/logistic.js';
import { setDenseWeights } from './dense-weights.js';

/** Fits multinomial logistic regression with L2 penalty α on the training split into the model's softmax layer. */
export function fitLogistic(tf: typeof tfTypes, model: tfTypes.LayersModel, dataset: PreparedDataset, alpha: number): void {
  const { x, y, rows } = dataset.train;
  const classes = dataset.labels.length;
  const w = fitMultinomialLogistic({ x, labels: y, rows, features: dataset.nFeatures, classes }, alpha);
  setDenseWeights(tf, model, w, dataset.nFeatures, classes);
}
