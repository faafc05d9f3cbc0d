import type { Direction, TrialRecord } from '../../core/types.js';
import { MAX_CHART_POINTS, stride } from './curves.js';
import { compareValues, rankableValue } from '../../core/rank.js';

export interface History {
  /** [trial number, value] of complete trials, thinned by a stride past the cap. */
  readonly values: readonly (readonly [number, number])[];
  /** [trial number, best value so far], one point per improvement. */
  readonly best: readonly (readonly [number, number])[];
  readonly downsampled: boolean;
}

/** The optimization history: each complete trial's value and the best-so-far line. */
export function optimizationHistory(
  trials: readonly Pick<TrialRecord, 'number' | 'state' | 'values'>[],
  direction: Direction,
  maxPoints = MAX_CHART_POINTS,
): History {
  const compare = compareValues(direction);
  const values: (readonly [number, number])[] = [];
  const best: (readonly [number, number])[] = [];
  for (const trial of [...trials].sort((a, b) => a.number - b.number)) {
    const value = trial.state === 'complete' ? rankableValue(trial) : null;
    if (value === null) continue;
    values.push([trial.number, value]);
    const last = best[best.length - 1];
    if (!last || compare(value, last[1]) < 0) best.push([trial.number, value]);
  }
  // The two series share the cap; the best line keeps at most half of it, and its points are drawn there anyway.
  const keptBest = stride(best, Math.floor(maxPoints / 2));
  const room = maxPoints - keptBest.length;
  if (values.length <= room && keptBest.length === best.length) return { values, best, downsampled: false };
  return { values: stride(values, room), best: keptBest, downsampled: true };
}
