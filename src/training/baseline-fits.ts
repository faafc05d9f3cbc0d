// The baselines whose fit is a count: the class frequencies, the mean, the value one season back.
import type * as tfTypes from '@tensorflow/tfjs';
import { TrialFailedError } from '../core/errors.js';
import type { PreparedDataset } from '../data/prepared-dataset.js';
import { seasonalPeriod } from '../maths/seasonality.js';
import { setDenseWeights } from './dense-weights.js';
import { targetWidth } from './fit.js';

// A class absent from the training split keeps a vanishing probability rather than log 0.
const MIN_FREQUENCY = 1e-9;

/** Predicts the training class frequencies for every row: zero weights, log-frequency biases under the softmax. */
export function fitMajority(tf: typeof tfTypes, model: tfTypes.LayersModel, dataset: PreparedDataset): void {
  const { y, rows } = dataset.train;
  const classes = dataset.labels.length;
  const counts = new Float64Array(classes);
  for (let r = 0; r < rows; r++) counts[y[r] as number]! += 1;
  const coefficients = new Float64Array((dataset.nFeatures + 1) * classes);
  for (let c = 0; c < classes; c++)
    coefficients[dataset.nFeatures * classes + c] = Math.log(Math.max(MIN_FREQUENCY, (counts[c] as number) / rows));
  setDenseWeights(tf, model, coefficients, dataset.nFeatures, classes);
}

/** Predicts the training targets' mean for every row. */
export function fitMean(tf: typeof tfTypes, model: tfTypes.LayersModel, dataset: PreparedDataset): void {
  const { y } = dataset.train;
  // Every output (a direct forecast's every step) predicts the mean of all training targets.
  const outputs = targetWidth(dataset);
  let mean = 0;
  for (const value of y) mean += value / y.length;
  const coefficients = new Float64Array((dataset.nFeatures + 1) * outputs);
  coefficients.fill(mean, dataset.nFeatures * outputs);
  setDenseWeights(tf, model, coefficients, dataset.nFeatures, outputs);
}

/** The training part of a series in order (standardized): the first window's inputs, then every window's target. */
export function trainingSeries(dataset: PreparedDataset): Float64Array {
  const lookback = dataset.nFeatures;
  const { x, y, rows } = dataset.train;
  const width = targetWidth(dataset);
  const values = new Float64Array(lookback + rows);
  for (let i = 0; i < lookback; i++) values[i] = x[i] as number;
  // A direct sample's targets are the next `horizon` values: its first is the value that follows its window.
  for (let r = 0; r < rows; r++) values[lookback + r] = y[r * width] as number;
  return values;
}

/**
 * The season of a series dataset: `configured` (the trial's `period`, else `data.input.period`) when given, else
 * detected from the training values' autocorrelation among the lags the lookback window holds.
 */
export function seasonOf(dataset: PreparedDataset, configured: number | undefined, maxLag = dataset.nFeatures): number {
  return configured ?? seasonalPeriod(trainingSeries(dataset), maxLag);
}

/**
 * Seasonal naive: each value is the one `period` steps earlier, a weight of 1 on that position of the lookback
 * window. Forecast recursively over a horizon longer than the period, it repeats the last observed season.
 * Returns the period used.
 */
export function fitSeasonalNaive(
  tf: typeof tfTypes,
  model: tfTypes.LayersModel,
  dataset: PreparedDataset,
  configured: number | undefined,
): number {
  if (!dataset.series) throw new TrialFailedError('seasonalNaive forecasts a series: set data.input to { "kind": "series", … }');
  const lookback = dataset.nFeatures;
  const period = seasonOf(dataset, configured);
  if (period > lookback) {
    throw new TrialFailedError(`seasonalNaive: period ${period} needs a lookback of at least ${period} (lookback is ${lookback})`);
  }
  // Step h ahead (0-based) repeats the value a whole number of periods back that the window still holds.
  const outputs = targetWidth(dataset);
  const coefficients = new Float64Array((lookback + 1) * outputs);
  for (let h = 0; h < outputs; h++) coefficients[(lookback + h - period * Math.ceil((h + 1) / period)) * outputs + h] = 1;
  setDenseWeights(tf, model, coefficients, lookback, outputs);
  return period;
}
