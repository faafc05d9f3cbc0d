import { describe, expect, it } from 'vitest';
import {
  combine,
  greedySelection,
  predictionsOf,
  rankCandidates,
  scorePredictions,
  type EnsembleProblem,
} from '../../src/ensemble/index.js';
import { atLeastBestSingle } from '../../src/ensemble/study-ensemble.js';
import { diabetes } from './fixtures.js';

// The rule behind "a study never returns a model worse than its best baseline on validation": an ensemble is kept
// only when it scores at least the best single candidate there.
describe('atLeastBestSingle', () => {
  const real = diabetes();
  const problem: EnsembleProblem = { ...real.problem, metric: 'val_mse', direction: 'minimize' };
  // A constant among the candidates (the validation mean for every row), weaker than every fitted model.
  const constant = real.problem.targets.reduce((s, v) => s + v, 0) / real.problem.targets.length;
  const candidates = [
    ...real.candidates,
    {
      id: 99,
      validation: new Float32Array(real.problem.targets.length).fill(constant),
      test: new Float32Array(real.testTargets.length).fill(constant),
    },
  ];
  const best = rankCandidates(candidates, problem)[0]!;

  it('replaces an average that scores worse than the best single candidate by that candidate alone', () => {
    // The best model averaged half and half with the constant: every prediction pulled halfway to the mean.
    const members = [best.candidate.id, 99];
    const weights = [0.5, 0.5];
    const score = scorePredictions(combine(members, weights, predictionsOf(candidates, 'validation')), problem);
    const average = { method: 'average' as const, members, weights, validationScore: score };
    expect(score).toBeGreaterThan(best.score);
    expect(atLeastBestSingle(average, candidates, problem)).toEqual({
      method: 'average',
      members: [best.candidate.id],
      weights: [1],
      validationScore: best.score,
    });
  });

  it('keeps an ensemble at least as good as the best single candidate', () => {
    const greedy = greedySelection(candidates, problem, { size: 10, initSize: 1, topK: candidates.length });
    expect(greedy.validationScore).toBeLessThanOrEqual(best.score);
    expect(atLeastBestSingle(greedy, candidates, problem)).toBe(greedy);
  });
});
