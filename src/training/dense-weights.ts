import type * as tfTypes from '@tensorflow/tfjs';

/**
 * Writes the weights of a model that is one dense layer (a closed-form fit's): `coefficients` is the
 * `(inputs + 1) × units` row-major kernel with the bias as its last row.
 */
export function setDenseWeights(
  tf: typeof tfTypes,
  model: tfTypes.LayersModel,
  coefficients: ArrayLike<number>,
  inputs: number,
  units: number,
): void {
  const kernel = Float32Array.from({ length: inputs * units }, (_, i) => coefficients[i] as number);
  const bias = Float32Array.from({ length: units }, (_, c) => coefficients[inputs * units + c] as number);
  const weights = [tf.tensor2d(kernel, [inputs, units]), tf.tensor1d(bias)];
  model.setWeights(weights);
  tf.dispose(weights);
}
