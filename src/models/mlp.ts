import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.js';
import { PERIODIC_DIM, registerAutotuneLayers } from './attention.js';
import { seededInitializer } from './layers.js';
import { outputLayer, type ModelOutput } from './model-output.js';
import type { MlpSpec } from './model-specs.js';

type Sym = tfTypes.SymbolicTensor;

/**
 * A multilayer perceptron with seeded initializers; inputs of any shape are flattened first. Each hidden layer is
 * dense → batch norm (optional, before the activation) → activation → dropout; with `residual`, a layer whose
 * input has its width adds that input back (the first layer changes the width, so it never does). A periodic
 * numeric embedding, on a flat input, replaces each column by its learned embedding before the first layer.
 */
export function buildMlp(
  tf: typeof tfTypes,
  spec: MlpSpec,
  inputShape: readonly number[],
  output: ModelOutput,
  rng: Rng,
): tfTypes.LayersModel {
  const input = tf.input({ shape: [...inputShape] });
  let x: Sym = inputShape.length > 1 ? (tf.layers.flatten().apply(input) as Sym) : input;
  let width = inputShape.reduce((a, b) => a * b, 1);
  if (spec.numericEmbedding === 'periodic') {
    const { PeriodicEmbedding } = registerAutotuneLayers(tf);
    x = new PeriodicEmbedding({ scale: spec.embeddingScale, seed: rng.uint32() }).apply(x) as Sym;
    width *= PERIODIC_DIM;
  }
  for (let i = 0; i < spec.layers; i++) {
    let y = tf.layers
      .dense({
        units: spec.units,
        activation: spec.batchNorm ? 'linear' : spec.activation,
        kernelInitializer: seededInitializer(tf, spec.activation, rng),
        ...(spec.l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2: spec.l2 }) } : {}),
      })
      .apply(x) as Sym;
    if (spec.batchNorm) y = tf.layers.activation({ activation: spec.activation }).apply(tf.layers.batchNormalization().apply(y)) as Sym;
    if (spec.residual && width === spec.units) y = tf.layers.add().apply([x, y]) as Sym;
    // Unseeded on purpose: a seeded tfjs Dropout reuses one mask every step. The trainer seeds Math.random instead.
    if (spec.dropout > 0) y = tf.layers.dropout({ rate: spec.dropout }).apply(y) as Sym;
    x = y;
    width = spec.units;
  }
  return tf.model({ inputs: input, outputs: outputLayer(tf, output, rng).apply(x) as Sym });
}
