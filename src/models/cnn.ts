import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.js';
import { seededInitializer } from './layers.js';
import { outputLayer, type ModelOutput } from './model-output.js';
import type { CnnSpec } from './model-specs.js';

type Sym = tfTypes.SymbolicTensor;

/**
 * A convolutional network: `blocks` blocks, filters doubling per block, each a convolution (same padding, `stride`)
 * → batch norm? → activation, or with `residual` two convolutions whose sum with the block's input (projected by a
 * 1×1 convolution when the shape changes) is activated; then 2×2 pooling while the image is at least 2 pixels on a
 * side; then the head: flatten, or global average / max pooling; a dense layer; dropout; output.
 */
export function buildCnn(
  tf: typeof tfTypes,
  spec: CnnSpec,
  inputShape: [number, number, number],
  output: ModelOutput,
  rng: Rng,
): tfTypes.LayersModel {
  const regularizer = spec.l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2: spec.l2 }) } : {};
  const conv = (x: Sym, filters: number, kernelSize: number, strides: number) =>
    tf.layers
      .conv2d({
        filters,
        kernelSize,
        strides,
        padding: 'same',
        kernelInitializer: seededInitializer(tf, spec.activation, rng),
        ...regularizer,
      })
      .apply(x) as Sym;
  const norm = (x: Sym) => (spec.batchNorm ? (tf.layers.batchNormalization().apply(x) as Sym) : x);
  const activate = (x: Sym) => tf.layers.activation({ activation: spec.activation }).apply(x) as Sym;

  const input = tf.input({ shape: inputShape });
  let x: Sym = input;
  let [height, width, channels] = inputShape;
  for (let b = 0; b < spec.blocks; b++) {
    const filters = spec.filters * 2 ** b;
    let y = norm(conv(x, filters, spec.kernelSize, spec.stride));
    if (spec.residual) {
      y = norm(conv(activate(y), filters, spec.kernelSize, 1));
      const shortcut = channels !== filters || spec.stride > 1 ? conv(x, filters, 1, spec.stride) : x;
      y = tf.layers.add().apply([y, shortcut]) as Sym;
    }
    x = activate(y);
    height = Math.ceil(height / spec.stride);
    width = Math.ceil(width / spec.stride);
    channels = filters;
    if (spec.pooling !== 'none' && height >= 2 && width >= 2) {
      x = (spec.pooling === 'max' ? tf.layers.maxPooling2d({ poolSize: 2 }) : tf.layers.averagePooling2d({ poolSize: 2 })).apply(x) as Sym;
      height = Math.floor(height / 2);
      width = Math.floor(width / 2);
    }
  }
  const head =
    spec.head === 'flatten'
      ? tf.layers.flatten()
      : spec.head === 'globalMax'
        ? tf.layers.globalMaxPooling2d({})
        : tf.layers.globalAveragePooling2d({});
  x = head.apply(x) as Sym;
  if (spec.dense > 0) {
    x = tf.layers
      .dense({
        units: spec.dense,
        activation: spec.activation,
        kernelInitializer: seededInitializer(tf, spec.activation, rng),
        ...regularizer,
      })
      .apply(x) as Sym;
  }
  if (spec.dropout > 0) x = tf.layers.dropout({ rate: spec.dropout }).apply(x) as Sym;
  return tf.model({ inputs: input, outputs: outputLayer(tf, output, rng).apply(x) as Sym });
}
