import type { Direction, StudyRecord, TrialRecord } from '../../core/types.js';
import { firstValue, type Storage } from '../../storage/storage.js';

/** The trial's first objective value when it is a finite number, else null. */
export function valueOf(trial: Pick<TrialRecord, 'values'>): number | null {
  return firstValue(trial.values);
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

/** The best complete trial as `bestTrial` picks it, sorted by storage instead of reading every trial. */
export async function loadBestTrial(storage: Storage, study: StudyRecord): Promise<TrialRecord | null> {
  const order = (study.directions[0] ?? 'minimize') === 'maximize' ? 'desc' : 'asc';
  const { trials } = await storage.pageTrials(study.id, { states: ['complete'], sort: 'value', order, offset: 0, limit: 1 });
  const best = trials[0];
  return best && valueOf(best) !== null ? best : null;
}
