import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.js';
import type { PreparedDataset } from '../data/prepared-dataset.js';

/**
 * What a model's head produces: softmax probabilities over `classes`, or `values` linear outputs — one for a
 * regression, a series' horizon for a direct multi-step forecast.
 */
export type ModelOutput = { readonly kind: 'classes'; readonly classes: number } | { readonly kind: 'values'; readonly values: number };

/** One regression value: what every regression model outputs unless it forecasts a horizon at once. */
export const ONE_VALUE: ModelOutput = { kind: 'values', values: 1 };

/** The head a dataset needs: its classes, its direct horizon, or one value. */
export function modelOutputOf(dataset: Pick<PreparedDataset, 'task' | 'labels' | 'series'>): ModelOutput {
  if (dataset.task === 'classification') return { kind: 'classes', classes: dataset.labels.length };
  return dataset.series?.strategy === 'direct' ? { kind: 'values', values: dataset.series.horizon } : ONE_VALUE;
}

/** Units of the output layer. */
export function outputUnits(output: ModelOutput): number {
  return output.kind === 'classes' ? output.classes : output.values;
}

/** The output layer: softmax over classes, or linear units for values. */
export function outputLayer(tf: typeof tfTypes, output: ModelOutput, rng: Rng): tfTypes.layers.Layer {
  return tf.layers.dense({
    units: outputUnits(output),
    activation: output.kind === 'classes' ? 'softmax' : 'linear',
    kernelInitializer: tf.initializers.glorotUniform({ seed: rng.uint32() }),
  });
}
