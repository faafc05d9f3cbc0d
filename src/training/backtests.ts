import type { BacktestRecord } from '../core/annotations.js';
import type { BacktestWindow } from '../data/backtests.js';
import type { FitResult } from './fit.js';
import { foldSummary } from './folds.js';

/** A series trial's rolling-origin evaluation: its value (the mean over windows), their spread, and each window. */
export interface BacktestSummary {
  readonly value: number;
  readonly metrics: { readonly backtest_mean: number; readonly backtest_std: number; readonly backtest_windows: number };
  /** Earliest first. */
  readonly windows: readonly BacktestRecord[];
}

/**
 * Fits the windows other than the latest (resample 0 is the trial's own fit, in view of the scheduler, worth
 * `latest`) silently, and summarises all of them: the trial's value is their mean, so a model that wins one horizon
 * by luck does not outrank one that forecasts every horizon well.
 *
 * @example await backtestSummary(dataset.series.backtests, 3.1, 'val_mape', (r) => fitOn(loadDataset(data, seed, r)))
 * // { value: 3.4, metrics: { backtest_mean: 3.4, backtest_std: 0.3, backtest_windows: 3 }, windows: [{ train: [24, 48], … }, …] }
 */
export async function backtestSummary(
  windows: readonly BacktestWindow[],
  latest: number,
  metric: string,
  fitWindow: (resample: number) => Promise<FitResult>,
): Promise<BacktestSummary> {
  const values = new Map<number, number>([[0, latest]]);
  for (const window of windows) {
    if (window.resample !== 0) values.set(window.resample, (await fitWindow(window.resample)).bestMetrics[metric] as number);
  }
  const records = windows.map(
    (w): BacktestRecord => ({
      train: [w.train.from, w.train.to],
      validation: [w.validation.from, w.validation.to],
      value: values.get(w.resample) as number,
    }),
  );
  const { mean, std } = foldSummary(records.map((r) => r.value));
  return { value: mean, metrics: { backtest_mean: mean, backtest_std: std, backtest_windows: windows.length }, windows: records };
}
