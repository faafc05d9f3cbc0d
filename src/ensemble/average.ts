import { InputError } from '../core/errors.js';
import { combine, predictionsOf } from './combine.js';
import { rankCandidates, scorePredictions } from './score.js';
import type { Candidate, EnsembleProblem, WeightedEnsemble } from './types.js';

/**
 * The plain average of the `n` best candidates by their own validation score: no weights are fitted, so nothing
 * beyond the ranking is tuned on validation. The baseline greedy selection has to beat.
 *
 * @example averageTopN(candidates, problem, 5).validationScore
 */
export function averageTopN(candidates: readonly Candidate[], problem: EnsembleProblem, n: number): WeightedEnsemble {
  if (!Number.isInteger(n) || n < 1) throw new InputError(`ensemble: averageTopN needs n ≥ 1 (got ${n})`);
  if (candidates.length === 0) throw new InputError('ensemble: no candidates');
  const members = rankCandidates(candidates, problem)
    .slice(0, n)
    .map((r) => r.candidate.id)
    .sort((a, b) => a - b);
  const weights = members.map(() => 1 / members.length);
  const validationScore = scorePredictions(combine(members, weights, predictionsOf(candidates, 'validation')), problem);
  return { method: 'average', members, weights, validationScore };
}
