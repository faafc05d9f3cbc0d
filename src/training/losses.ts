import type * as tfTypes from '@tensorflow/tfjs';
import { TrialFailedError } from '../core/errors.js';

/**
 * Losses a trial can train with; `auto` is cross-entropy for classification and MSE for regression, `custom` the
 * study's `training.lossModule`.
 */
export const LOSSES = ['auto', 'crossentropy', 'mse', 'mae', 'huber', 'custom'] as const;
export type LossName = (typeof LOSSES)[number];

export type LossFn = (yTrue: tfTypes.Tensor, yPred: tfTypes.Tensor) => tfTypes.Scalar;

export interface LossOptions {
  /** Per-class weights (classification): each example's loss is multiplied by its class's weight. */
  readonly classWeights?: readonly number[];
  /** The loss that `custom` names, loaded from the study's loss module. */
  readonly custom?: LossFn;
  /** Classification cross-entropy against (1 − ε)·one-hot + ε/k. */
  readonly labelSmoothing?: number;
}

/**
 * The loss function, a mean over the batch. Classification outputs are softmax probabilities against one-hot
 * targets (two classes make this binary cross-entropy); regression losses compare standardized values. With class
 * weights it is the mean of weighted per-example losses (Keras's reduction for sample weights), so a batch's
 * scale does not depend on which classes it happens to hold.
 */
export function lossFunction(tf: typeof tfTypes, name: LossName, task: 'classification' | 'regression', options: LossOptions = {}): LossFn {
  if (name === 'custom') {
    if (!options.custom) throw new TrialFailedError('loss "custom" needs training.lossModule in the study file');
    if (options.classWeights)
      throw new TrialFailedError('classWeights cannot weight a custom loss: weight the examples inside the loss module');
    return options.custom;
  }
  const resolved = name === 'auto' ? (task === 'classification' ? 'crossentropy' : 'mse') : name;
  const smoothing = resolved === 'crossentropy' ? (options.labelSmoothing ?? 0) : 0;
  const plain = perExample(tf, resolved);
  // The class weights below read the one-hot targets, so smoothing applies inside the per-example loss only.
  const each = smoothing > 0 ? (y: tfTypes.Tensor, p: tfTypes.Tensor) => plain(smoothed(y, smoothing), p) : plain;
  if (!options.classWeights) return (y, p) => each(y, p).mean() as tfTypes.Scalar;
  const weights = Float32Array.from(options.classWeights);
  // The targets are one-hot, so a product with the weight column picks each example's class weight.
  return (y, p) =>
    each(y, p)
      .mul(y.matMul(tf.tensor2d(weights, [weights.length, 1])).reshape([-1]))
      .mean() as tfTypes.Scalar;
}

function smoothed(oneHot: tfTypes.Tensor, epsilon: number): tfTypes.Tensor {
  const classes = oneHot.shape[oneHot.shape.length - 1] as number;
  return oneHot.mul(1 - epsilon).add(epsilon / classes);
}

/** One loss per example (shape [batch]): the mean over outputs for the elementwise losses. */
function perExample(
  tf: typeof tfTypes,
  name: 'crossentropy' | 'mse' | 'mae' | 'huber',
): (y: tfTypes.Tensor, p: tfTypes.Tensor) => tfTypes.Tensor {
  switch (name) {
    case 'crossentropy':
      return (y, p) => tf.metrics.categoricalCrossentropy(y, p);
    case 'mae':
      return (y, p) => y.sub(p).abs().mean(-1);
    case 'huber':
      // tf.losses.huberLoss with delta 1: quadratic within ±1, linear beyond.
      return (y, p) => {
        const error = y.sub(p).abs();
        const quadratic = tf.minimum(error, 1);
        return quadratic.square().mul(0.5).add(error.sub(quadratic)).mean(-1);
      };
    default:
      return (y, p) => y.sub(p).square().mean(-1);
  }
}
