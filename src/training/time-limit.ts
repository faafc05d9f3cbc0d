import { TrialFailedError } from '../core/errors.js';

/**
 * How long the controller waits past `search.trialTimeoutSeconds` for a trial to end itself before it terminates
 * the trial's thread: long enough for one training batch or one evaluation to finish, short enough that the limit
 * still means something.
 */
export const TIMEOUT_GRACE_MS = 10_000;

/**
 * A trial's wall-clock limit as it crosses to the worker. The deadline is in `Date.now()` milliseconds because
 * `performance.now()` counts from each thread's own start.
 */
export interface TimeLimit {
  readonly limitMs: number;
  readonly deadline: number;
}

/** Where a trial had got to: the epoch under way (trained models) or the last step reported (objectives). */
export interface TrialProgress {
  readonly epoch?: number;
  readonly epochs?: number;
  readonly step?: number;
}

/** A trial that ran past its time limit; trainers and objectives throw it so the reason reaches the trial as is. */
export class TrialTimeoutError extends TrialFailedError {}

/** The limit of a trial starting now. */
export function startTimeLimit(limitMs: number): TimeLimit {
  return { limitMs, deadline: Date.now() + limitMs };
}

/** Throws a {@link TrialTimeoutError} once the deadline has passed; called between batches and between steps. */
export function checkTimeLimit(limit: TimeLimit | undefined, progress: TrialProgress): void {
  if (limit !== undefined && Date.now() >= limit.deadline) throw new TrialTimeoutError(timedOutReason(limit.limitMs, progress));
}

/** `timed out after 240 s (epoch 8 of 100)`: the same words whether the worker or the controller ended the trial. */
export function timedOutReason(limitMs: number, progress: TrialProgress | null): string {
  return `timed out after ${secondsText(limitMs)} s${progressText(progress)}`;
}

function progressText(progress: TrialProgress | null): string {
  if (progress?.epoch !== undefined) return ` (epoch ${progress.epoch}${progress.epochs !== undefined ? ` of ${progress.epochs}` : ''})`;
  if (progress?.step !== undefined) return ` (after step ${progress.step})`;
  return '';
}

/** Seconds as a person would write them: `240`, `2.5`, `0.05`. */
function secondsText(ms: number): string {
  return String(Math.round(ms) / 1000);
}
