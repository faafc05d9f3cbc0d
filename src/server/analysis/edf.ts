import type { TrialPoint } from '../../storage/storage.js';
import { MAX_CHART_POINTS, stride } from './curves.js';
import { rankableValue } from '../../core/rank.js';

export interface EmpiricalDistribution {
  /** [objective value, share of complete trials with a value ≤ it], by value; thinned past the cap. */
  readonly points: readonly (readonly [number, number])[];
  /** Complete trials with a finite value: the denominator of every share. */
  readonly trials: number;
  readonly downsampled: boolean;
}

/**
 * The empirical cumulative distribution of the objective over complete trials (Optuna's `plot_edf`): how often a
 * configuration drawn by this search reached a value at least as low as x. Ties share the share of their last copy.
 */
export function empiricalDistribution(
  trials: readonly Pick<TrialPoint, 'state' | 'values'>[],
  maxPoints = MAX_CHART_POINTS,
): EmpiricalDistribution {
  const values = trials.flatMap((t) => {
    const v = t.state === 'complete' ? rankableValue(t) : null;
    return v === null ? [] : [v];
  });
  values.sort((a, b) => a - b);
  const n = values.length;
  const points: (readonly [number, number])[] = [];
  values.forEach((v, i) => {
    if (values[i + 1] !== v) points.push([v, (i + 1) / n]);
  });
  return { points: stride(points, maxPoints), trials: n, downsampled: points.length > maxPoints };
}
