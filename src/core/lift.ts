import { baselineOf, isBaseline } from './annotations.js';
import { bestTrial, isBetter, lossSign } from './rank.js';
import type { Direction, TrialRecord } from './types.js';

/** How far the study's searched trials got above its baselines. */
export interface BaselineLift {
  /** The best baseline trial, and which baseline it is. */
  readonly baseline: TrialRecord;
  readonly baselineName: string;
  /** The best searched (non-baseline) trial, or null when none completed. */
  readonly searched: TrialRecord | null;
  /** searched − baseline, signed so that positive is better in either direction; null without a searched trial. */
  readonly lift: number | null;
  /** Whether some searched trial is strictly better than every baseline (by `core/rank.ts`). */
  readonly beaten: boolean;
}

/**
 * The best searched trial against the best baseline, both by the ranking of `core/rank.ts`; null when no baseline
 * completed with a rankable value (a study run without baselines, or one whose baselines all failed).
 *
 * @example baselineLift(trials, 'maximize') // { baselineName: 'logistic', lift: 0.034, beaten: true, … }
 */
export function baselineLift(trials: readonly TrialRecord[], direction: Direction): BaselineLift | null {
  const baseline = bestTrial(trials.filter(isBaseline), direction);
  if (!baseline) return null;
  const searched = bestTrial(
    trials.filter((t) => !isBaseline(t)),
    direction,
  );
  const baselineValue = baseline.values?.[0] as number;
  const searchedValue = searched?.values?.[0];
  return {
    baseline,
    baselineName: baselineOf(baseline) as string,
    searched,
    lift: searchedValue === undefined ? null : -lossSign(direction) * (searchedValue - baselineValue),
    beaten: searchedValue !== undefined && isBetter(direction, searchedValue, baselineValue),
  };
}
