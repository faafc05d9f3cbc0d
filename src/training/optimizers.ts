import type * as tfTypes from '@tensorflow/tfjs';
import type { FitSpec } from './hyperparameters.js';

/** The tfjs optimizer a trial asked for. */
export function buildOptimizer(tf: typeof tfTypes, fit: FitSpec): tfTypes.Optimizer {
  switch (fit.optimizer) {
    case 'sgd':
      return fit.momentum > 0 ? tf.train.momentum(fit.learningRate, fit.momentum, fit.nesterov) : tf.train.sgd(fit.learningRate);
    case 'adagrad':
      return tf.train.adagrad(fit.learningRate);
    case 'adam':
      return tf.train.adam(fit.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(fit.learningRate, 0.9, fit.momentum);
  }
}

/**
 * Disposes an optimizer completely. tfjs's MomentumOptimizer.dispose() forgets the −learning-rate scalar that
 * SGD's setLearningRate keeps (one tensor per trial, found by the 50-trial memory test), so it is freed here.
 */
export function disposeOptimizer(optimizer: tfTypes.Optimizer): void {
  optimizer.dispose();
  const c = (optimizer as unknown as { c?: tfTypes.Tensor }).c;
  if (c && !c.isDisposed) c.dispose();
}
