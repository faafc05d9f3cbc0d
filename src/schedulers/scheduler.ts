import type { Metrics, TrialRecord } from '../core/types.js';

/** What a scheduler tells a running trial after a report. */
export type Decision =
  | { readonly type: 'continue' }
  | { readonly type: 'stop'; readonly reason: string }
  | { readonly type: 'pause' };

/**
 * Decides whether a running trial continues, stops (pruned) or pauses. Never proposes parameters; keeps its
 * bookkeeping rebuildable from the trials it is shown, so a resumed study schedules the same way.
 *
 * @example const decision = scheduler.onReport(trial, 3, { val_loss: 0.4 }, trials);
 */
export interface Scheduler {
  readonly name: string;
  onTrialAdd?(trial: TrialRecord): void;
  onReport(trial: TrialRecord, step: number, metrics: Metrics, trials: readonly TrialRecord[]): Decision;
  onTrialEnd?(trial: TrialRecord): void;
  /** A paused trial to resume before sampling a new one, if any. */
  nextToResume?(trials: readonly TrialRecord[]): TrialRecord | null;
  /** Narrows the history a sampler learns from for this trial (e.g. one Hyperband bracket), if the scheduler wants. */
  cohort?(trials: readonly TrialRecord[]): readonly TrialRecord[];
}

export const CONTINUE: Decision = { type: 'continue' };
