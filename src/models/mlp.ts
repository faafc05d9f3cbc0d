import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.js';
import { outputLayer, seededInitializer } from './layers.js';
import type { MlpSpec } from './hyperparameters.js';

/**
 * A multilayer perceptron with seeded initializers; inputs of any shape are flattened first.
 */
export function buildMlp(tf: typeof tfTypes, spec: MlpSpec, inputShape: readonly number[], outputs: number, rng: Rng): tfTypes.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [...inputShape] }));
  if (inputShape.length > 1) model.add(tf.layers.flatten());
  for (let i = 0; i < spec.layers; i++) {
    model.add(
      tf.layers.dense({
        units: spec.units,
        activation: spec.activation,
        kernelInitializer: seededInitializer(tf, spec.activation, rng),
        ...(spec.l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2: spec.l2 }) } : {}),
      }),
    );
    // Unseeded on purpose: a seeded tfjs Dropout reuses one mask every step. The trainer seeds Math.random instead.
    if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
  }
  model.add(outputLayer(tf, outputs, rng));
  return model;
}
