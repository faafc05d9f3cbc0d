import { maxStepOf, type Placement, type SchedulerRecord } from '../core/annotations.js';
import { isBetter } from '../core/rank.js';
import type { Direction, TrialRecord } from '../core/types.js';

/** What a scheduler tells a running trial after a report. `record` is bookkeeping to store on the trial. */
export type Decision =
  | { readonly type: 'continue'; readonly record?: SchedulerRecord }
  | { readonly type: 'stop'; readonly reason: string; readonly record?: SchedulerRecord };

/** The objective value every trial reported at every step, as the controller recorded it. */
export interface StepHistory {
  /** trial number → value, for every trial that reported at `step`. */
  valuesAt(step: number): ReadonlyMap<number, number>;
  /** step → value for one trial. */
  stepsOf(trialNumber: number): ReadonlyMap<number, number>;
}

/** What a scheduler may look at when it decides. */
export interface SchedulerContext {
  /** Every trial of the study, in number order. */
  readonly trials: readonly TrialRecord[];
  /** The same trials by number (numbers need not be dense: a view may lack trials another process just made). */
  readonly trialsByNumber: ReadonlyMap<number, TrialRecord>;
  readonly history: StepHistory;
  readonly direction: Direction;
}

/**
 * Decides whether a running trial continues or stops (pruned). Never proposes parameters. Every decision is a
 * function of the trials and their reported steps (plus the trial's placement), so a scheduler rebuilt from
 * storage after a restart decides the same way.
 *
 * @example const decision = scheduler.onReport(trial, 3, 0.42, ctx);
 */
export interface Scheduler {
  readonly name: string;
  /** Bookkeeping for a trial about to be created (e.g. its Hyperband bracket); stored in its system attributes. */
  placement?(trialNumber: number): Placement;
  /** The trials a sampler should learn from for a new trial with this placement (BOHB: the same bracket). */
  cohort?(trials: readonly TrialRecord[], placement: Placement): readonly TrialRecord[];
  /** Called for every report; `value` is the objective metric at that step (NaN when it was not reported). */
  onReport(trial: TrialRecord, step: number, value: number, ctx: SchedulerContext): Decision;
}

export const CONTINUE: Decision = { type: 'continue' };

export { MAX_STEP } from '../core/annotations.js';

/**
 * The last step a trial can report: `max_step`, which the controller stores when it creates the trial (a ridge
 * fit reports one step, a trained model its epochs); Infinity when unknown (an objective's own `ctx.report`).
 */
export function finalStepOf(trial: TrialRecord): number {
  return maxStepOf(trial) ?? Number.POSITIVE_INFINITY;
}

/**
 * Whether a trial that reported `step` could have gone on past it, and so measures what a trial still running
 * at `step` is up against. A trial this controller does not know counts, as before its maximum step was stored.
 */
export function couldContinue(trial: TrialRecord | undefined, step: number): boolean {
  return trial === undefined || finalStepOf(trial) > step;
}

/** Trial `number` of the study. Numbers are dense, so `trials[number]` is it unless another process skipped ahead. */
export function trialNumbered(trials: readonly TrialRecord[], trialNumber: number): TrialRecord | undefined {
  const direct = trials[trialNumber];
  return direct?.number === trialNumber ? direct : trials.find((t) => t.number === trialNumber);
}

/** The best rankable value a trial has reported up to and including `step` (`core/rank.ts`); NaN when none. */
export function bestSoFar(steps: ReadonlyMap<number, number>, step: number, direction: Direction): number {
  let best = Number.NaN;
  for (const [s, v] of steps) if (s <= step && isBetter(direction, v, best)) best = v;
  return best;
}
