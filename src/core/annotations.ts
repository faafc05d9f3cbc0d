import type { TrialRecord } from './types.js';

/**
 * What the parts of autotune tell each other about a trial, stored in its `system_attrs` column under these key
 * names (unchanged from when they were free-form attributes, so existing databases read back). Each key has one
 * writer (a retry copies `bracket` and `max_step` from the trial it retries); everything else reads it through the
 * accessors below, which check the stored JSON's type.
 *
 * | key                  | written by                                   | when                       | read by                                   |
 * |----------------------|----------------------------------------------|----------------------------|-------------------------------------------|
 * | `bracket`            | scheduler (Hyperband `placement`)            | the trial starts           | Hyperband, dashboard brackets, retries    |
 * | `rung`               | scheduler (ASHA, Hyperband `Decision.record`)| a report at a rung         | dashboard brackets                        |
 * | `max_step`           | controller (`Study.ask`, from `finalStep`)   | the trial starts           | schedulers (`finalStepOf`), retries       |
 * | `duplicates_avoided` | controller (`Study.ask`, `suggestDistinct`)  | the trial starts           | `duplicatesAvoided` (CLI, `autotune()`)   |
 * | `retry_of`           | controller (retry of an interrupted trial)   | the retry is queued        | controller (a retry is not retried)       |
 * | `baseline`           | controller (`enqueueBaselines`; retries copy)| the baseline is queued     | controller (budget, sampler history), lift |
 * | `diagnoses`          | trainer (`TrialOutcome.attrs`)               | the trial finishes         | CLI `show`, dashboard trial page          |
 * | `test_confusion`     | trainer (`TrialOutcome.attrs`)               | the trial finishes         | dashboard (raw system attributes)         |
 * | `labels`             | trainer (`TrialOutcome.attrs`)               | the trial finishes         | dashboard (raw system attributes)         |
 * | `backtests`          | trainer (`TrialOutcome.attrs`)               | a series trial completes   | dashboard (raw system attributes)         |
 */
// A type, not an interface, so that it is assignable to the column's Record<string, unknown>.
export type TrialAnnotations = {
  /** The Hyperband bracket the trial was placed in. */
  readonly bracket?: number;
  /** k + 1 once promoted past rung k, k when stopped at rung k. */
  readonly rung?: number;
  /** The last step the trial can report (a ridge fit: 1; a network: its epochs). */
  readonly max_step?: number;
  /** Suggestions turned away before this trial's own, because an earlier trial had them. */
  readonly duplicates_avoided?: number;
  /** The number of the interrupted trial this one retries. */
  readonly retry_of?: number;
  /** The baseline this trial fits (`majority`, `logistic`, `mean`, `ridge`, `seasonalNaive`): not a searched trial. */
  readonly baseline?: string;
  /** Training findings: overfitting, underfitting, gradients, early stopping. */
  readonly diagnoses?: readonly string[];
  /** The test split's confusion matrix, rows = true class (classification). */
  readonly test_confusion?: readonly (readonly number[])[];
  /** The class labels, in the confusion matrix's order. */
  readonly labels?: readonly string[];
  /**
   * A series trial's rolling-origin windows, earliest first: the series positions [from, to) of the values its
   * training samples predict and of its validation horizon, and its best value of the objective metric.
   */
  readonly backtests?: readonly BacktestRecord[];
};

/** One backtest window of a trial (see `TrialAnnotations.backtests`). */
export type BacktestRecord = {
  readonly train: readonly [number, number];
  readonly validation: readonly [number, number];
  readonly value: number;
};

/** What a scheduler places a new trial with (its `placement`). */
export type Placement = Pick<TrialAnnotations, 'bracket'>;
/** What a scheduler records on a trial after a report (`Decision.record`). */
export type SchedulerRecord = Pick<TrialAnnotations, 'rung'>;
/** What a trainer's outcome records on the trial it finishes. */
export type TrainerFindings = Pick<TrialAnnotations, 'diagnoses' | 'test_confusion' | 'labels' | 'backtests'>;

export const MAX_STEP = 'max_step' satisfies keyof TrialAnnotations;
export const DUPLICATES_AVOIDED = 'duplicates_avoided' satisfies keyof TrialAnnotations;
export const BASELINE = 'baseline' satisfies keyof TrialAnnotations;

type Annotated = Pick<TrialRecord, 'systemAttrs'>;

function numberAt(trial: Annotated, key: keyof TrialAnnotations): number | undefined {
  const value = trial.systemAttrs[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The trial's Hyperband bracket, or undefined (every other scheduler: one bracket). */
export function bracketOf(trial: Annotated): number | undefined {
  return numberAt(trial, 'bracket');
}

/** The rung the trial reached, or undefined before its first rung's step. */
export function rungOf(trial: Annotated): number | undefined {
  return numberAt(trial, 'rung');
}

/** The last step the trial can report, or undefined when it is not known beforehand. */
export function maxStepOf(trial: Annotated): number | undefined {
  return numberAt(trial, 'max_step');
}

/** How many duplicate suggestions were turned away for this trial (0 when none). */
export function duplicatesAvoidedOf(trial: Annotated): number {
  return numberAt(trial, 'duplicates_avoided') ?? 0;
}

/** The number of the trial this one retries, or undefined for a first attempt. */
export function retryOf(trial: Annotated): number | undefined {
  return numberAt(trial, 'retry_of');
}

/** The baseline a trial fits, or undefined for a trial the sampler chose. */
export function baselineOf(trial: Annotated): string | undefined {
  const value = trial.systemAttrs.baseline;
  return typeof value === 'string' ? value : undefined;
}

/** Whether a trial is one of the study's baselines (queued by the controller, outside the budget and the sampler's view). */
export function isBaseline(trial: Annotated): boolean {
  return baselineOf(trial) !== undefined;
}

/** The trainer's diagnoses, as text (none: empty). */
export function diagnosesOf(trial: Annotated): string[] {
  const value = trial.systemAttrs.diagnoses;
  return Array.isArray(value) ? value.map((d) => String(d)) : [];
}
