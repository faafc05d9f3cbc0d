import type { BacktestWindow } from './backtests.js';
import type { ColumnEncoder } from './encode.js';
import type { Standardizer } from './scaler.js';
import type { TfidfVectorizer } from './text.js';
import type { Tokenizer } from './tokens.js';

/** Regression targets are trained standardized (after log(1 + y) when asked); metrics undo both. */
export interface TargetScaler {
  readonly mean: number;
  readonly std: number;
  readonly log: boolean;
}

/** One split, ready for tensors: row-major features and one target per row. */
export interface SplitData {
  readonly x: Float32Array;
  /** Class index (classification) or standardized target (regression). */
  readonly y: Float32Array;
  readonly rows: number;
}

/** A dataset prepared for training: split, encoded and scaled with statistics fitted on the training split. */
export interface PreparedDataset {
  readonly task: 'classification' | 'regression';
  readonly featureNames: readonly string[];
  /** Class names in index order (classification). */
  readonly labels: readonly string[];
  readonly nFeatures: number;
  /** The shape of one example as the model sees it: [features] for tables, [height, width, channels] for images. */
  readonly inputShape: readonly number[];
  readonly featureScaler: Standardizer;
  /** Regression targets are standardized for training; metrics are reported in the original units. */
  readonly targetScaler: TargetScaler | null;
  /** The fitted column encoders (tabular input), applied identically to every split and to new data. */
  readonly encoders: readonly ColumnEncoder[];
  /** The fitted TF-IDF vectorizer (text as a bag of words). */
  readonly vectorizer?: TfidfVectorizer;
  /** The fitted tokenizer (text as token ids): features are ids, the model embeds them. */
  readonly tokenizer?: Tokenizer;
  /**
   * Series input: validation and test are forecast over `horizon` steps from their cut-off, recursively or (direct)
   * in one call whose `horizon` outputs are the steps; then every training row has `horizon` targets. `backtests`
   * are the study's rolling-origin windows, earliest first; this dataset is the one of window `resample`.
   */
  readonly series?: {
    readonly lookback: number;
    readonly horizon: number;
    readonly strategy: 'recursive' | 'direct';
    readonly backtests: readonly BacktestWindow[];
    readonly resample: number;
  };
  readonly train: SplitData;
  readonly validation: SplitData;
  readonly test: SplitData;
  /**
   * Each split's rows as 0-based data rows (the header is not a row) of the file they came from: `data.source`, or
   * `data.test.source` for the test split when the study names one. In the order of the split's examples.
   */
  readonly sourceRows?: { readonly train: readonly number[]; readonly validation: readonly number[]; readonly test: readonly number[] };
  /** Rows dropped because the target was missing. */
  readonly droppedRows: number;
  /** Rows dropped as exact duplicates of an earlier row (`data.preprocessing.deduplicate`). */
  readonly duplicateRows: number;
}
