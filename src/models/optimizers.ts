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
