import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.js';
import { outputLayer, seededInitializer } from './layers.js';
import type { CnnSpec } from './hyperparameters.js';

/**
 * A convolutional network: `blocks` × [conv (same padding) → batch norm? → 2×2 pooling while the image is at
 * least 2 pixels on a side], with filters doubling per block, then flatten → dense → dropout → output.
 */
export function buildCnn(tf: typeof tfTypes, spec: CnnSpec, inputShape: [number, number, number], outputs: number, rng: Rng): tfTypes.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape }));
  const regularizer = spec.l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2: spec.l2 }) } : {};
  let [height, width] = inputShape;
  for (let b = 0; b < spec.blocks; b++) {
    model.add(
      tf.layers.conv2d({
        filters: spec.filters * 2 ** b,
        kernelSize: spec.kernelSize,
        padding: 'same',
        activation: spec.batchNorm ? 'linear' : spec.activation,
        kernelInitializer: seededInitializer(tf, spec.activation, rng),
        ...regularizer,
      }),
    );
    if (spec.batchNorm) {
      model.add(tf.layers.batchNormalization());
      model.add(tf.layers.activation({ activation: spec.activation }));
    }
    if (spec.pooling !== 'none' && height >= 2 && width >= 2) {
      model.add(spec.pooling === 'max' ? tf.layers.maxPooling2d({ poolSize: 2 }) : tf.layers.averagePooling2d({ poolSize: 2 }));
      height = Math.floor(height / 2);
      width = Math.floor(width / 2);
    }
  }
  model.add(tf.layers.flatten());
  if (spec.dense > 0) {
    model.add(tf.layers.dense({ units: spec.dense, activation: spec.activation, kernelInitializer: seededInitializer(tf, spec.activation, rng), ...regularizer }));
  }
  if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
  model.add(outputLayer(tf, outputs, rng));
  return model;
}
