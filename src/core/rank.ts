import type { Direction, TrialRecord } from './types.js';

// The one definition of "better" and "best" in the tool: the controller's best trial, the CLI listing, the
// dashboard, ensembles, exports, retention, the schedulers, TPE's good/bad split and a fit's best epoch all call
// these, so they cannot disagree on which trial or epoch won.
//
// Rankable values are the finite ones. NaN is never a measurement (an objective returning it fails the trial).
// ±Infinity is not ranked either, unlike Optuna (whose completed trials compare infinities as numbers): here a
// value of −Infinity when minimizing is a diverged or degenerate run (a log of zero), and ranking it would make it
// an unbeatable "best" that pins the study, meets any target value and becomes the exported model; storage sorts
// and the CSV/JSON exports already treat non-finite values as missing, so ranking them would split the tool in
// two. A non-rankable value is therefore never better than anything, and sorts after every rankable value.

/** Whether `value` can be ranked: a finite number. */
export function isRankable(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The trial's first objective value when it is rankable, else null. */
export function rankableValue(trial: Pick<TrialRecord, 'values'>): number | null {
  const value = trial.values?.[0];
  return isRankable(value) ? value : null;
}

/**
 * True when `a` is strictly better than `b` for `direction`: `a` is rankable, and `b` is not or is worse. Equal
 * values are not better, so whoever came first keeps its place.
 */
export function isBetter(direction: Direction, a: number, b: number): boolean {
  if (!isRankable(a)) return false;
  if (!isRankable(b)) return true;
  return direction === 'minimize' ? a < b : a > b;
}

/** A sort comparator putting the better value first; non-rankable values last, equal among themselves. */
export function compareValues(direction: Direction): (a: number, b: number) => number {
  return (a, b) => (isBetter(direction, a, b) ? -1 : isBetter(direction, b, a) ? 1 : 0);
}

/** +1 when minimizing, −1 when maximizing: multiplies a value into a loss, which is smaller when better. */
export function lossSign(direction: Direction): 1 | -1 {
  return direction === 'minimize' ? 1 : -1;
}

/** Complete trials by first value, better first; ties (and non-rankable values) by trial number, earlier first. */
export function compareTrials(direction: Direction): (a: TrialRecord, b: TrialRecord) => number {
  const byValue = compareValues(direction);
  return (a, b) => byValue(a.values?.[0] ?? Number.NaN, b.values?.[0] ?? Number.NaN) || a.number - b.number;
}

/** Whether a trial can be "the best": complete, with a rankable value. Pruned trials never are. */
export function isRankedTrial(trial: TrialRecord): boolean {
  return trial.state === 'complete' && rankableValue(trial) !== null;
}

/** Complete trials with a rankable first value, best first; equal values keep the earlier trial first. */
export function rankCompleted(trials: readonly TrialRecord[], direction: Direction): TrialRecord[] {
  return trials.filter(isRankedTrial).sort(compareTrials(direction));
}

/** The first of `rankCompleted`, without sorting: the best trial, or null when no trial is ranked. */
export function bestTrial(trials: readonly TrialRecord[], direction: Direction): TrialRecord | null {
  const compare = compareTrials(direction);
  let best: TrialRecord | null = null;
  for (const trial of trials) if (isRankedTrial(trial) && (best === null || compare(trial, best) < 0)) best = trial;
  return best;
}

/**
 * The order a sampler learns from (TPE's good/bad split): complete trials first, by value as `compareTrials`;
 * then pruned trials, the ones that got further first (a trial stopped at a later step survived more decisions),
 * and among those stopped at the same step by their stored value — for a trained model the best epoch before it
 * was stopped, where Optuna takes the last report; bench/RESULTS.md ("Pruned trials in TPE's split") measured both
 * and found no gain in switching — then every other trial (running ones, for the constant liar), in number order.
 * Non-rankable values sort after the rankable ones of their group.
 */
export function compareEvidence(direction: Direction): (a: TrialRecord, b: TrialRecord) => number {
  const byValue = compareValues(direction);
  const group = (t: TrialRecord) => (t.state === 'complete' ? 0 : t.state === 'pruned' ? 1 : 2);
  return (a, b) => {
    const ga = group(a);
    const gb = group(b);
    if (ga !== gb) return ga - gb;
    if (ga === 2) return a.number - b.number;
    if (ga === 1 && a.lastStep !== b.lastStep) return (b.lastStep ?? 0) - (a.lastStep ?? 0);
    return byValue(a.values?.[0] ?? Number.NaN, b.values?.[0] ?? Number.NaN) || a.number - b.number;
  };
}
