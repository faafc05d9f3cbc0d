import type { Direction } from '../core/types.js';

/**
 * One finished trial's stored predictions, row-major: `rows × classes` probabilities for classification, `rows`
 * values in target units for regression.
 */
export interface Candidate {
  /** The trial number. */
  readonly id: number;
  readonly validation: Float32Array;
  readonly test?: Float32Array;
}

/** What an ensemble is judged by: the validation targets and the study's objective. */
export interface EnsembleProblem {
  readonly task: 'classification' | 'regression';
  /** Classes per row (classification); ignored for regression. */
  readonly classes: number;
  /** Validation targets: class indices, or values in target units. */
  readonly targets: Float32Array;
  /** The objective metric as the study names it, e.g. `val_accuracy`, `val_loss`, `val_rmse`. */
  readonly metric: string;
  readonly direction: Direction;
}

/** Members averaged with weights (greedy selection, plain average). `members` ascending, `weights` sum to 1. */
export interface WeightedEnsemble {
  readonly method: 'greedy' | 'average';
  readonly members: readonly number[];
  readonly weights: readonly number[];
  readonly validationScore: number;
}

/** Caruana selection adds its path: the validation score after the initial members and after each addition. */
export interface GreedyEnsemble extends WeightedEnsemble {
  readonly method: 'greedy';
  readonly history: readonly number[];
}

/** One vote per member (argmax), classification only. */
export interface VoteEnsemble {
  readonly method: 'vote';
  readonly members: readonly number[];
  readonly validationScore: number;
}

/**
 * A linear meta-model over the members' predictions. Features are, member by member, the log-probabilities of each
 * class (classification) or the predicted value (regression). `coefficients` is row-major `(features + 1) × outputs`
 * with the intercept in the last row; `validationScore` is the cross-validated (out-of-fold) score.
 */
export interface StackedEnsemble {
  readonly method: 'stacking';
  readonly model: 'logistic' | 'ridge';
  readonly members: readonly number[];
  readonly lambda: number;
  readonly coefficients: readonly number[];
  readonly validationScore: number;
}

export type Ensemble = WeightedEnsemble | GreedyEnsemble | VoteEnsemble | StackedEnsemble;
