import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.js';

/** The output layer: softmax over classes, or one linear unit for regression. */
export function outputLayer(tf: typeof tfTypes, outputs: number, rng: Rng): tfTypes.layers.Layer {
  return tf.layers.dense({
    units: outputs > 0 ? outputs : 1,
    activation: outputs > 0 ? 'softmax' : 'linear',
    kernelInitializer: tf.initializers.glorotUniform({ seed: rng.uint32() }),
  });
}

/** He initialisation for ReLU-like activations, Glorot otherwise; always seeded from the trial's stream. */
export function seededInitializer(tf: typeof tfTypes, activation: string, rng: Rng): ReturnType<typeof tfTypes.initializers.heNormal> {
  const reluLike = ['relu', 'elu', 'selu', 'swish', 'gelu'].includes(activation);
  return reluLike ? tf.initializers.heNormal({ seed: rng.uint32() }) : tf.initializers.glorotUniform({ seed: rng.uint32() });
}
