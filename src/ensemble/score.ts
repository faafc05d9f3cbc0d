import { InputError } from '../core/errors.js';
import { compareValues } from '../core/rank.js';
import { classificationMetrics, regressionMetrics } from '../training/metrics.js';
import type { Candidate, EnsembleProblem } from './types.js';

// Predictions are already in target units, so the metrics' unscaling is the identity; `loss` is then the MSE.
const IDENTITY = { mean: 0, std: 1 } as const;

/** The metric key our metric functions return for a study objective: `val_accuracy` → `accuracy`. */
export function metricKey(metric: string): string {
  return metric.startsWith('val_') ? metric.slice(4) : metric;
}

/**
 * The objective's value for one set of predictions over the problem's validation rows (or other `targets`).
 *
 * @example scorePredictions(probabilities, { task: 'classification', classes: 3, targets, metric: 'val_accuracy', direction: 'maximize' })
 */
export function scorePredictions(predictions: Float32Array, problem: EnsembleProblem, targets: Float32Array = problem.targets): number {
  const key = metricKey(problem.metric);
  const metrics: Record<string, number> =
    problem.task === 'classification'
      ? classificationMetrics(predictions, targets, problem.classes)
      : regressionMetrics(predictions, targets, IDENTITY);
  const value = metrics[key];
  if (value === undefined) {
    throw new InputError(
      `ensemble: no ${problem.task} metric "${key}" (from "${problem.metric}"); known: ${Object.keys(metrics).join(', ')}`,
    );
  }
  return value;
}

/** Candidates with their own validation score, best first (NaN, the AUC of a one-class split, last); equal scores in ascending id. */
export function rankCandidates(candidates: readonly Candidate[], problem: EnsembleProblem): { candidate: Candidate; score: number }[] {
  const width = problem.task === 'classification' ? problem.classes : 1;
  const ids = new Set<number>();
  for (const candidate of candidates) {
    if (ids.has(candidate.id)) throw new InputError(`ensemble: candidate ${candidate.id} appears twice`);
    ids.add(candidate.id);
    if (candidate.validation.length !== problem.targets.length * width) {
      throw new InputError(
        `ensemble: candidate ${candidate.id} has ${candidate.validation.length} validation values, expected ${problem.targets.length} rows × ${width}`,
      );
    }
  }
  const scored = candidates.map((candidate) => ({ candidate, score: scorePredictions(candidate.validation, problem) }));
  const byScore = compareValues(problem.direction);
  return scored.sort((a, b) => byScore(a.score, b.score) || a.candidate.id - b.candidate.id);
}
