import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.js';
import type { MlpSpec } from './hyperparameters.js';

/**
 * Builds a multilayer perceptron with seeded initializers (He for ReLU-like activations, Glorot otherwise).
 * The head is softmax over `outputs` classes, or one linear unit for regression (`outputs` = 0).
 */
export function buildMlp(tf: typeof tfTypes, spec: MlpSpec, inputs: number, outputs: number, rng: Rng): tfTypes.Sequential {
  const model = tf.sequential();
  const reluLike = ['relu', 'elu', 'selu', 'swish', 'gelu'].includes(spec.activation);
  const initializer = () =>
    reluLike ? tf.initializers.heNormal({ seed: rng.uint32() }) : tf.initializers.glorotUniform({ seed: rng.uint32() });
  for (let i = 0; i < spec.layers; i++) {
    model.add(
      tf.layers.dense({
        units: spec.units,
        activation: spec.activation,
        kernelInitializer: initializer(),
        ...(spec.l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2: spec.l2 }) } : {}),
        ...(i === 0 ? { inputShape: [inputs] } : {}),
      }),
    );
    // Unseeded on purpose: a seeded tfjs Dropout reuses one mask every step. The trainer seeds Math.random instead.
    if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
  }
  model.add(
    tf.layers.dense({
      units: outputs > 0 ? outputs : 1,
      activation: outputs > 0 ? 'softmax' : 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: rng.uint32() }),
      ...(spec.layers === 0 ? { inputShape: [inputs] } : {}),
    }),
  );
  return model;
}
