import type { Direction, ParamValue } from '../../core/types.js';
import type { TrialPoint } from '../../storage/storage.js';
import { MAX_CHART_POINTS, stride } from './curves.js';
import { compareValues, rankableValue } from '../../core/rank.js';
import type { ParamSpec } from './slices.js';

/** [x parameter, y parameter (or the objective when there is none), rank share (0 best … 1 worst), objective, trial number]. */
export type RankPoint = readonly [ParamValue, ParamValue | number, number, number, number];

export interface RankPlot {
  readonly x: ParamSpec;
  /** null: the study has one parameter, and y is the objective value. */
  readonly y: ParamSpec | null;
  readonly points: readonly RankPoint[];
  readonly trials: number;
  readonly downsampled: boolean;
}

/**
 * Optuna's rank plot: two parameters against each other, each complete trial coloured by the rank of its objective
 * rather than the value itself, so one diverged trial does not wash the colour scale out. Ties share the better rank.
 */
export function rankPlot(
  trials: readonly TrialPoint[],
  x: ParamSpec,
  y: ParamSpec | null,
  direction: Direction,
  maxPoints = MAX_CHART_POINTS,
): RankPlot {
  const scored = trials.flatMap((t) => {
    const value = t.state === 'complete' ? rankableValue(t) : null;
    const a = t.params[x.name];
    const b = y === null ? value : t.params[y.name];
    return value === null || a === undefined || b === undefined || b === null ? [] : [{ a, b, value, number: t.number }];
  });
  const compare = compareValues(direction);
  const firstIndex = new Map<number, number>();
  scored
    .map((s) => s.value)
    .sort(compare)
    .forEach((v, i) => firstIndex.has(v) || firstIndex.set(v, i));
  const last = Math.max(1, scored.length - 1);
  const points = scored.map((s): RankPoint => [s.a, s.b, (firstIndex.get(s.value) ?? 0) / last, s.value, s.number]);
  return { x, y, points: stride(points, maxPoints), trials: points.length, downsampled: points.length > maxPoints };
}
