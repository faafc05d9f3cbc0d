import { InputError } from '../core/errors.js';
import type { DataConfig } from '../space/schema.js';
import { backtestCount, backtestWindows, type SeriesLayout } from './backtests.js';
import type { RawTable } from './csv.js';
import type { PreparedDataset, SplitData, TargetScaler } from './prepared-dataset.js';

type SeriesInput = Extract<DataConfig['input'], { kind: 'series' }>;

/**
 * A univariate series (the target column, in file order) as supervised windows: `lookback` past values predict
 * the next (recursive) or the next `horizon` (direct). The split is chronological — train, then a validation
 * horizon, then the test horizon (the last `horizon` values) — and both horizons are forecast from their cut-off
 * (see `forecast`), as a forecast of the future would be. With several backtests (`data.split.backtests`, see
 * backtests.ts), `resample` picks the window: 0, the default, validates on the horizon next to the test split;
 * each later one a horizon earlier, on a shorter training prefix. Values are standardized with the training
 * part's statistics. `rows[t]` is the data row of `table` that value t came from (rows without a value are skipped).
 */
export function prepareSeries(
  table: RawTable,
  data: DataConfig,
  input: SeriesInput,
  values: readonly number[],
  rows: readonly number[],
  resample = 0,
): PreparedDataset {
  if (data.task !== 'regression') throw new InputError('data.task: series input forecasts values; use "regression"', { file: table.file });
  const { lookback, horizon, strategy } = input;
  const targetsPerSample = strategy === 'direct' ? horizon : 1;
  const layout: SeriesLayout = { values: values.length, lookback, horizon, test: horizon, targetsPerSample };
  const oneWindow = values.length - 2 * horizon - lookback - (targetsPerSample - 1);
  if (oneWindow < 10) {
    throw new InputError(
      `data.input: ${values.length} values leave ${Math.max(0, oneWindow)} training windows for lookback ${lookback} and two horizons of ${horizon}${strategy === 'direct' ? ' (direct: each window predicts the whole horizon)' : ''}; at least 10 are needed`,
      { file: table.file },
    );
  }
  const backtests = backtestWindows(layout, backtestCount(layout, data.split.backtests), table.file);
  const window = backtests[backtests.length - 1 - resample];
  if (!window) throw new RangeError(`backtest ${resample} of ${backtests.length}`);
  const trainEnd = window.validation.from;
  const train = values.slice(0, trainEnd);
  const mean = train.reduce((s, v) => s + v, 0) / train.length;
  const std = Math.sqrt(train.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, train.length - 1)) || 1;
  const z = values.map((v) => (v - mean) / std);
  // Samples whose first predicted value is t, for t in [from, to): the inputs are the `lookback` values before t.
  const samples = (from: number, to: number, targets: number): SplitData => {
    const count = to - from;
    const x = new Float32Array(count * lookback);
    const y = new Float32Array(count * targets);
    for (let t = from; t < to; t++) {
      x.set(z.slice(t - lookback, t), (t - from) * lookback);
      y.set(z.slice(t, t + targets), (t - from) * targets);
    }
    return { x, y, rows: count };
  };
  const targetScaler: TargetScaler = { mean, std, log: data.targetTransform === 'log' };
  // The rows whose values each split predicts (a window's inputs are the rows before it).
  const predicted = (from: number, to: number) => rows.slice(from, to);
  const test = { from: values.length - horizon, to: values.length };
  return {
    task: 'regression',
    featureNames: Array.from({ length: lookback }, (_, i) => `${data.target}[t-${lookback - i}]`),
    labels: [],
    nFeatures: lookback,
    inputShape: [lookback, 1],
    encoders: [],
    series: { lookback, horizon, strategy, backtests, resample },
    featureScaler: { mean: new Array<number>(lookback).fill(0), std: new Array<number>(lookback).fill(1) },
    targetScaler,
    train: samples(window.train.from, window.train.to, targetsPerSample),
    // Validation and test hold one row per forecast step: the first row's inputs are the cut-off's.
    validation: samples(window.validation.from, window.validation.to, 1),
    test: samples(test.from, test.to, 1),
    sourceRows: {
      train: predicted(window.train.from, window.train.to),
      validation: predicted(window.validation.from, window.validation.to),
      test: predicted(test.from, test.to),
    },
    droppedRows: table.rows.length - values.length,
    duplicateRows: 0,
  };
}
