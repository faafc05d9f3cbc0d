import type { Direction, TrialRecord } from '../../core/types.js';

/** The trial's first objective value when it is a finite number, else null. */
export function valueOf(trial: TrialRecord): number | null {
  const value = trial.values?.[0];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Compares two values so that the better one sorts first. */
export function betterFirst(direction: Direction): (a: number, b: number) => number {
  return direction === 'maximize' ? (a, b) => b - a : (a, b) => a - b;
}

/** The best complete trial (ties: the earlier one), or null. */
export function bestTrial(trials: readonly TrialRecord[], direction: Direction): TrialRecord | null {
  const compare = betterFirst(direction);
  let best: TrialRecord | null = null;
  for (const trial of trials) {
    const value = valueOf(trial);
    if (trial.state !== 'complete' || value === null) continue;
    if (best === null || compare(value, valueOf(best) as number) < 0) best = trial;
  }
  return best;
}
