import { describe, expect, it } from 'vitest';
import { predictEnsemble, predictionsOf, rankCandidates, scoreEnsemble, stacking, type EnsembleProblem } from '../../src/ensemble/index.js';
import { Rng } from '../../src/core/rng.js';
import { breastCancer, diabetes } from './fixtures.js';

describe('stacking', () => {
  it('ridge recovers an exact linear combination of the members', () => {
    const rng = new Rng(5);
    const a = Float32Array.from({ length: 60 }, () => rng.normal());
    const b = Float32Array.from({ length: 60 }, () => rng.normal());
    const targets = Float32Array.from(a, (v, i) => 2 * v - (b[i] as number) + 3);
    const problem: EnsembleProblem = { task: 'regression', classes: 1, targets, metric: 'val_rmse', direction: 'minimize' };
    const result = stacking(
      [
        { id: 4, validation: a },
        { id: 9, validation: b },
      ],
      problem,
      { lambdas: [1e-8], seed: 1 },
    );
    expect(result.model).toBe('ridge');
    expect(result.members).toEqual([4, 9]);
    result.coefficients.forEach((c, i) => expect(c).toBeCloseTo([2, -1, 3][i]!, 4));
    expect(result.validationScore).toBeLessThan(1e-4);
  });

  it('logistic meta-model on breast cancer: cross-validated, seeded, and no worse than the best member on test', () => {
    const data = breastCancer();
    const problem: EnsembleProblem = { ...data.problem, metric: 'val_loss', direction: 'minimize' };
    const result = stacking(data.candidates, problem, { seed: 3 });
    expect(result.model).toBe('logistic');
    expect(result.coefficients).toHaveLength((data.candidates.length * 2 + 1) * 2);
    expect(stacking(data.candidates, problem, { seed: 3 })).toEqual(result);
    const probabilities = predictEnsemble(result, predictionsOf(data.candidates, 'test'), problem);
    for (let r = 0; r < data.testTargets.length; r++) expect(probabilities[2 * r]! + probabilities[2 * r + 1]!).toBeCloseTo(1, 5);
    const report = scoreEnsemble(result, data.candidates, problem, data.testTargets);
    expect(report.testScore).toBeLessThan(0.15);
    expect(report.testGain).toBeGreaterThan(-0.02);
    // The CV score is out-of-fold, so it is not the (flattering) in-sample score of the refitted model.
    const inSample = rankCandidates(
      [{ id: 0, validation: predictEnsemble(result, predictionsOf(data.candidates, 'validation'), problem) }],
      problem,
    )[0]!.score;
    expect(inSample).toBeLessThan(result.validationScore);
  });

  it('ridge meta-model on diabetes improves on the best single regressor on test', () => {
    const data = diabetes();
    const problem: EnsembleProblem = { ...data.problem, metric: 'val_rmse', direction: 'minimize' };
    const report = scoreEnsemble(stacking(data.candidates, problem, { seed: 2 }), data.candidates, problem, data.testTargets);
    expect(report.testGain).toBeGreaterThan(0);
  });
});
