import { InputError } from '../core/errors.js';
import type { DataConfig } from '../space/schema.js';
import type { RawTable } from './csv.js';
import type { PreparedDataset, SplitData, TargetScaler } from './prepared-dataset.js';

type SeriesInput = Extract<DataConfig['input'], { kind: 'series' }>;

/**
 * A univariate series (the target column, in file order) as supervised windows: `lookback` past values predict
 * the next. The split is chronological — train, then a validation horizon, then the test horizon (the last
 * `horizon` values) — and both horizons are forecast recursively from their cut-off (see `evaluate`), as a
 * forecast of the future would be. Values are standardized with the training part's statistics. `rows[t]` is the
 * data row of `table` that value t came from (rows without a value are skipped).
 */
export function prepareSeries(
  table: RawTable,
  data: DataConfig,
  input: SeriesInput,
  values: readonly number[],
  rows: readonly number[],
): PreparedDataset {
  if (data.task !== 'regression') throw new InputError('data.task: series input forecasts values; use "regression"', { file: table.file });
  const { lookback, horizon } = input;
  const trainEnd = values.length - 2 * horizon;
  if (trainEnd - lookback < 10) {
    throw new InputError(
      `data.input: ${values.length} values leave ${Math.max(0, trainEnd - lookback)} training windows for lookback ${lookback} and two horizons of ${horizon}; at least 10 are needed`,
      { file: table.file },
    );
  }
  const train = values.slice(0, trainEnd);
  const mean = train.reduce((s, v) => s + v, 0) / train.length;
  const std = Math.sqrt(train.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, train.length - 1)) || 1;
  const z = values.map((v) => (v - mean) / std);
  const windows = (from: number, to: number): SplitData => {
    const rows = to - from;
    const x = new Float32Array(rows * lookback);
    const y = new Float32Array(rows);
    for (let t = from; t < to; t++) {
      x.set(z.slice(t - lookback, t), (t - from) * lookback);
      y[t - from] = z[t] as number;
    }
    return { x, y, rows };
  };
  const targetScaler: TargetScaler = { mean, std, log: data.targetTransform === 'log' };
  // The rows whose values each split predicts (a window's inputs are the rows before it).
  const predicted = (from: number, to: number) => rows.slice(from, to);
  return {
    task: 'regression',
    featureNames: Array.from({ length: lookback }, (_, i) => `${data.target}[t-${lookback - i}]`),
    labels: [],
    nFeatures: lookback,
    inputShape: [lookback, 1],
    encoders: [],
    series: { lookback, horizon },
    featureScaler: { mean: new Array<number>(lookback).fill(0), std: new Array<number>(lookback).fill(1) },
    targetScaler,
    train: windows(lookback, trainEnd),
    validation: windows(trainEnd, trainEnd + horizon),
    test: windows(trainEnd + horizon, values.length),
    sourceRows: {
      train: predicted(lookback, trainEnd),
      validation: predicted(trainEnd, trainEnd + horizon),
      test: predicted(trainEnd + horizon, values.length),
    },
    droppedRows: table.rows.length - values.length,
    duplicateRows: 0,
  };
}
