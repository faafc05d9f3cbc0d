import { InputError } from '../core/errors.js';
import { lossSign } from '../core/rank.js';
import { combine, memberPredictions, predictionsOf } from './combine.js';
import { rankCandidates, scorePredictions } from './score.js';
import { stackedPredict } from './stacking.js';
import type { Candidate, Ensemble, EnsembleProblem } from './types.js';
import { vote } from './vote.js';

/**
 * An ensemble's predictions for any split, from its members' predictions for that split.
 *
 * @example predictEnsemble(ensemble, predictionsOf(candidates, 'test'), problem)
 */
export function predictEnsemble(
  ensemble: Ensemble,
  predictions: ReadonlyMap<number, Float32Array>,
  problem: Pick<EnsembleProblem, 'task' | 'classes'>,
): Float32Array {
  switch (ensemble.method) {
    case 'greedy':
    case 'average':
      return combine(ensemble.members, ensemble.weights, predictions);
    case 'vote':
      return vote(
        ensemble.members.map((id) => memberPredictions(predictions, id)),
        problem.classes,
      );
    case 'stacking':
      return stackedPredict(ensemble, predictions, problem);
  }
}

export interface EnsembleReport {
  /** The ensemble's validation score (for stacking the cross-validated one, since its in-sample score flatters it). */
  readonly validationScore: number;
  /** Null when no test targets were given. */
  readonly testScore: number | null;
  /** The member a study without ensembling would deploy: the best by its own validation score. */
  readonly bestSingle: { readonly id: number; readonly validationScore: number; readonly testScore: number | null };
  /** How much better the ensemble does on test than the best single trial, positive when it helps, either direction. */
  readonly testGain: number | null;
}

/**
 * Scores an ensemble on validation and test next to the best single candidate, so the gain (or loss) from
 * ensembling is visible on rows neither selected.
 *
 * @example scoreEnsemble(greedySelection(candidates, problem), candidates, problem, testTargets).testGain
 */
export function scoreEnsemble(
  ensemble: Ensemble,
  candidates: readonly Candidate[],
  problem: EnsembleProblem,
  testTargets?: Float32Array,
): EnsembleReport {
  const best = rankCandidates(candidates, problem)[0];
  if (!best) throw new InputError('ensemble: no candidates');
  let testScore: number | null = null;
  let bestTest: number | null = null;
  if (testTargets) {
    const test = predictionsOf(candidates, 'test');
    testScore = scorePredictions(predictEnsemble(ensemble, test, problem), problem, testTargets);
    bestTest = scorePredictions(memberPredictions(test, best.candidate.id), problem, testTargets);
  }
  return {
    validationScore: ensemble.validationScore,
    testScore,
    bestSingle: { id: best.candidate.id, validationScore: best.score, testScore: bestTest },
    testGain: testScore === null || bestTest === null ? null : -lossSign(problem.direction) * (testScore - bestTest),
  };
}
