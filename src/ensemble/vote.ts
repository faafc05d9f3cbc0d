import { InputError } from '../core/errors.js';
import { memberPredictions, predictionsOf } from './combine.js';
import { rankCandidates, scorePredictions } from './score.js';
import type { Candidate, EnsembleProblem, VoteEnsemble } from './types.js';

/**
 * Hard majority vote: each member votes for its argmax class; a tie between classes goes to the one with the larger
 * summed probability over all members, then to the lower class index. The result is one-hot per row, so the usual
 * metrics score it; log loss and AUC of hard labels are harsh, so voting suits accuracy-type objectives.
 *
 * @example vote([a.validation, b.validation, c.validation], 3)
 */
export function vote(predictions: readonly Float32Array[], classes: number): Float32Array {
  if (predictions.length === 0) throw new InputError('ensemble: vote needs at least one member');
  const length = (predictions[0] as Float32Array).length;
  if (predictions.some((p) => p.length !== length) || length % classes !== 0)
    throw new InputError('ensemble: vote members differ in shape');
  const out = new Float32Array(length);
  const votes = new Float64Array(classes);
  const mass = new Float64Array(classes);
  for (let row = 0; row < length / classes; row++) {
    votes.fill(0);
    mass.fill(0);
    const offset = row * classes;
    for (const p of predictions) {
      let top = 0;
      for (let c = 0; c < classes; c++) {
        const value = p[offset + c] as number;
        mass[c]! += value;
        if (value > (p[offset + top] as number)) top = c;
      }
      votes[top]!++;
    }
    let winner = 0;
    for (let c = 1; c < classes; c++) {
      const v = votes[c] as number;
      const w = votes[winner] as number;
      if (v > w || (v === w && (mass[c] as number) > (mass[winner] as number))) winner = c;
    }
    out[offset + winner] = 1;
  }
  return out;
}

/**
 * A majority vote of the `n` best candidates by their own validation score (default: all of them).
 *
 * @example majorityVote(candidates, problem, { n: 5 }).validationScore
 */
export function majorityVote(
  candidates: readonly Candidate[],
  problem: EnsembleProblem,
  options: { readonly n?: number } = {},
): VoteEnsemble {
  if (problem.task !== 'classification') throw new InputError('ensemble: majority vote is for classification');
  if (candidates.length === 0) throw new InputError('ensemble: no candidates');
  const members = rankCandidates(candidates, problem)
    .slice(0, options.n ?? candidates.length)
    .map((r) => r.candidate.id)
    .sort((a, b) => a - b);
  const validation = predictionsOf(candidates, 'validation');
  const voted = vote(
    members.map((id) => memberPredictions(validation, id)),
    problem.classes,
  );
  return { method: 'vote', members, validationScore: scorePredictions(voted, problem) };
}
