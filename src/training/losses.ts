import type * as tfTypes from '@tensorflow/tfjs';

/** Losses a trial can train with; `auto` is cross-entropy for classification and MSE for regression. */
export const LOSSES = ['auto', 'crossentropy', 'mse', 'mae', 'huber'] as const;
export type LossName = (typeof LOSSES)[number];

/**
 * The loss function (mean over the batch). Classification outputs are softmax probabilities against one-hot
 * targets (two classes make this binary cross-entropy); regression losses compare standardized values.
 */
export function lossFunction(
  tf: typeof tfTypes,
  name: LossName,
  task: 'classification' | 'regression',
): (yTrue: tfTypes.Tensor, yPred: tfTypes.Tensor) => tfTypes.Scalar {
  const resolved = name === 'auto' ? (task === 'classification' ? 'crossentropy' : 'mse') : name;
  switch (resolved) {
    case 'crossentropy':
      return (y, p) => tf.metrics.categoricalCrossentropy(y, p).mean() as tfTypes.Scalar;
    case 'mae':
      return (y, p) => tf.losses.absoluteDifference(y, p) as tfTypes.Scalar;
    case 'huber':
      return (y, p) => tf.losses.huberLoss(y, p) as tfTypes.Scalar;
    default:
      return (y, p) => tf.losses.meanSquaredError(y, p) as tfTypes.Scalar;
  }
}
