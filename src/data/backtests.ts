import { InputError } from '../core/errors.js';

/** Training samples the earliest window must keep: what a series split has always required. */
export const MIN_TRAINING_SAMPLES = 10;
/** Windows when `data.split.backtests` is not given (fewer when fewer fit). */
export const DEFAULT_BACKTESTS = 3;

/** The shape of a series for rolling-origin evaluation. Positions index the series' values, 0-based. */
export interface SeriesLayout {
  /** Values in the series. */
  readonly values: number;
  readonly lookback: number;
  /** Steps each validation window forecasts (a full horizon). */
  readonly horizon: number;
  /** The last `test` values are the test window. */
  readonly test: number;
  /** Values one training sample predicts: 1 (recursive), or the horizon (direct: all steps at once). */
  readonly targetsPerSample: number;
}

/** A half-open range of positions, [from, to). */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/** One backtest: the samples it trains on and the horizon it validates on. */
export interface BacktestWindow {
  /** 0: the window next to the test split (trained on the most data); k − 1: the earliest. */
  readonly resample: number;
  /** Positions of the first value each training sample predicts (its inputs are the `lookback` values before). */
  readonly train: Span;
  /** The values the window forecasts from its cut-off `validation.from`. */
  readonly validation: Span;
}

/** Training samples before a validation window that starts at `cutoff`: every predicted value lies before it. */
function samplesBefore(layout: SeriesLayout, cutoff: number): number {
  return cutoff - layout.lookback - (layout.targetsPerSample - 1);
}

/** Where window `resample` (0 = the latest) starts: windows are laid back to back, ending where the test starts. */
function cutoffOf(layout: SeriesLayout, resample: number): number {
  return layout.values - layout.test - (resample + 1) * layout.horizon;
}

/** The most windows that fit: the earliest must still leave {@link MIN_TRAINING_SAMPLES} samples (0 when none does). */
export function largestBacktests(layout: SeriesLayout): number {
  const room = samplesBefore(layout, cutoffOf(layout, 0)) - MIN_TRAINING_SAMPLES;
  return room < 0 ? 0 : 1 + Math.floor(room / layout.horizon);
}

/**
 * The rolling-origin windows, earliest first: window k validates on the `horizon` values that follow its training
 * prefix, consecutive windows end where the test window starts. Validation positions depend on the series length,
 * the horizon and the test alone — never on the lookback — so trials with different lookbacks are validated on the
 * same values. Asked for more windows than fit, refuses naming `data.split.backtests` and the largest count that fits.
 *
 * @example backtestWindows({ values: 144, lookback: 24, horizon: 24, test: 24, targetsPerSample: 1 }, 3)
 * // [{ resample: 2, train: { from: 24, to: 48 }, validation: { from: 48, to: 72 } }, …, { resample: 0, …, validation: { from: 96, to: 120 } }]
 */
export function backtestWindows(layout: SeriesLayout, windows: number, file?: string): BacktestWindow[] {
  const fit = largestBacktests(layout);
  if (windows > fit) {
    // The study file (or the trial) names itself in front, as for the series split's other errors.
    const where = 'data.split.backtests';
    const room = `${layout.values} values, lookback ${layout.lookback}, horizon ${layout.horizon}, test ${layout.test}`;
    throw new InputError(
      fit === 0
        ? `${where}: ${room} leave fewer than ${MIN_TRAINING_SAMPLES} training samples before even one validation window`
        : `${where}: ${windows} windows do not fit (${room}); at most ${fit} leave ${MIN_TRAINING_SAMPLES} training samples`,
      file ? { file } : {},
    );
  }
  return Array.from({ length: windows }, (_, i) => {
    const resample = windows - 1 - i;
    const cutoff = cutoffOf(layout, resample);
    return {
      resample,
      train: { from: layout.lookback, to: layout.lookback + samplesBefore(layout, cutoff) },
      validation: { from: cutoff, to: cutoff + layout.horizon },
    };
  });
}

/**
 * The windows a study validates on: `requested`, or by default {@link DEFAULT_BACKTESTS} or as many as fit, at
 * least one (a series too short for one is refused by the split itself).
 */
export function backtestCount(layout: SeriesLayout, requested: number | undefined): number {
  return requested ?? Math.max(1, Math.min(DEFAULT_BACKTESTS, largestBacktests(layout)));
}
