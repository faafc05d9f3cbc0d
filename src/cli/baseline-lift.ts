import { baselineLift } from '../core/lift.js';
import type { Direction, TrialRecord } from '../core/types.js';
import { formatValue } from './format.js';

/**
 * The lines `run`'s summary and `show` give the baselines: the best searched trial's lift over the best baseline,
 * then a `warning:` line when no searched trial beats it. Printed with the summary on stdout, not stderr: the warning
 * describes the result, it is not a failure of the run. Empty for a study without baselines.
 *
 * @example baselineLines(trials, 'val_accuracy', 'maximize') // ['lift over best baseline (logistic, val_accuracy 0.9210): +0.0340']
 */
export function baselineLines(trials: readonly TrialRecord[], metric: string, direction: Direction): string[] {
  const lift = baselineLift(trials, direction);
  if (!lift) return [];
  const head = `lift over best baseline (${lift.baselineName}, ${metric} ${formatValue(lift.baseline.values?.[0])})`;
  const line =
    lift.lift === null ? `${head}: no searched trial completed` : `${head}: ${lift.lift >= 0 ? '+' : ''}${formatValue(lift.lift)}`;
  if (lift.beaten) return [line];
  return [line, `warning: no trained model beats the baselines; the best is baseline trial ${lift.baseline.number} (${lift.baselineName})`];
}
