import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import {
  combine,
  greedySelection,
  predictionsOf,
  rankCandidates,
  scoreEnsemble,
  scorePredictions,
  type Candidate,
  type EnsembleProblem,
} from '../../src/ensemble/index.js';
import { breastCancer, diabetes, digits, type RealCase } from './fixtures.js';

const regression = (targets: number[]): EnsembleProblem => ({
  task: 'regression',
  classes: 1,
  targets: Float32Array.from(targets),
  metric: 'val_mse',
  direction: 'minimize',
});
const candidate = (id: number, validation: number[], test?: number[]): Candidate => ({
  id,
  validation: Float32Array.from(validation),
  ...(test ? { test: Float32Array.from(test) } : {}),
});
const sum = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0);

describe('greedy selection, hand-made cases with a known answer', () => {
  // Target 0; A predicts 1, B predicts −2. {A}: MSE 1 → {A,B}: mean −0.5, MSE 0.25 → {A,A,B}: mean 0, MSE 0.
  const a = candidate(0, [1]);
  const b = candidate(1, [-2]);

  it('re-adds a member (replacement) when that beats every other choice, and keeps the best prefix', () => {
    const result = greedySelection([b, a], regression([0]), { size: 10 });
    expect(result.history.slice(0, 3)).toEqual([1, 0.25, 0]);
    expect(result.history).toHaveLength(10);
    expect(result.members).toEqual([0, 1]);
    expect(result.weights).toEqual([2 / 3, 1 / 3]);
    expect(result.validationScore).toBe(0);
    // Weight 2/3 > 1/size: A entered the bag twice.
    expect(result.weights[0]).toBeGreaterThan(1 / 3);
  });

  it('stops at `size` members when the path is still improving', () => {
    const result = greedySelection([a, b], regression([0]), { size: 2 });
    expect(result.members).toEqual([0, 1]);
    expect(result.weights).toEqual([0.5, 0.5]);
    expect(result.validationScore).toBe(0.25);
  });

  it('breaks exact ties by the lower trial id, whatever the input order', () => {
    // 9 and 2 predict identically (MSE 4 each, as does 4); 2 must start the bag, then 4 (mean 0) joins it.
    const pool = [candidate(9, [-2]), candidate(4, [2]), candidate(2, [-2])];
    for (const order of [pool, [...pool].reverse(), [pool[1]!, pool[0]!, pool[2]!]]) {
      const result = greedySelection(order, regression([0]), { size: 3 });
      expect(result.members).toEqual([2, 4]);
      expect(result.history.slice(0, 2)).toEqual([4, 0]);
      expect(result.history[2]).toBeCloseTo(4 / 9, 6); // the mean −2/3 is rounded to float32
    }
  });

  it('when two additions improve equally, adds the lower id', () => {
    // 5 is the best single (MSE 0.25); adding 8 or 3 (identical) gives mean −0.05 either way.
    const pool = [candidate(5, [0.5]), candidate(8, [-0.6]), candidate(3, [-0.6])];
    for (const order of [pool, [...pool].reverse()]) {
      const result = greedySelection(order, regression([0]), { size: 2 });
      expect(result.members).toEqual([3, 5]);
      expect(result.validationScore).toBeCloseTo(0.0025, 6);
    }
  });

  it('starts from the best initSize candidates together', () => {
    // Singles: 0 → MSE 1, 1 → 4, 2 → 9; best two averaged: (1 + −2)/2 = −0.5 → 0.25.
    const pool = [candidate(0, [1]), candidate(1, [-2]), candidate(2, [3])];
    const result = greedySelection(pool, regression([0]), { size: 2, initSize: 2 });
    expect(result.history).toEqual([0.25]);
    expect(result.members).toEqual([0, 1]);
  });

  it('with topK = 1 only the best candidate can be chosen', () => {
    const result = greedySelection([a, b], regression([0]), { size: 5, topK: 1 });
    expect(result.members).toEqual([0]);
    expect(result.weights).toEqual([1]);
  });

  it('rejects bad options and mismatched predictions', () => {
    expect(() => greedySelection([a], regression([0]), { size: 0 })).toThrow(InputError);
    expect(() => greedySelection([], regression([0]))).toThrow(InputError);
    expect(() => greedySelection([candidate(0, [1, 2])], regression([0]))).toThrow(/expected 1 rows/);
    expect(() => greedySelection([a], { ...regression([0]), metric: 'val_accuracy' })).toThrow(/no regression metric "accuracy"/);
  });
});

function checkGreedyOnRealData(name: string, make: () => RealCase, objectives: readonly (readonly [string, 'minimize' | 'maximize'])[]) {
  describe(`greedy selection on ${name}`, () => {
    let data: RealCase;
    beforeAll(() => {
      data = make();
    });

    for (const [metric, direction] of objectives) {
      it(`${metric}: scores at least as well as the best single model, with weights summing to 1`, () => {
        const problem: EnsembleProblem = { ...data.problem, metric, direction };
        const best = rankCandidates(data.candidates, problem)[0]!;
        const result = greedySelection(data.candidates, problem, { size: 25 });
        expect(result.history[0]).toBe(best.score);
        expect(direction === 'maximize' ? result.validationScore >= best.score : result.validationScore <= best.score).toBe(true);
        expect(sum(result.weights)).toBeCloseTo(1, 12);
        expect(result.members).toEqual([...result.members].sort((x, y) => x - y));
        // The reported score is that of the weighted average it describes.
        const recombined = scorePredictions(combine(result.members, result.weights, predictionsOf(data.candidates, 'validation')), problem);
        expect(recombined).toBeCloseTo(result.validationScore, 5);
        // Same inputs in another order: the same ensemble.
        expect(greedySelection([...data.candidates].reverse(), problem, { size: 25 })).toEqual(result);
        const report = scoreEnsemble(result, data.candidates, problem, data.testTargets);
        expect(report.bestSingle.id).toBe(best.candidate.id);
        expect(Number.isFinite(report.testScore)).toBe(true);
      });
    }
  });
}

checkGreedyOnRealData('breast cancer (softmax, k-NN, naive Bayes)', breastCancer, [
  ['val_loss', 'minimize'],
  ['val_accuracy', 'maximize'],
  ['val_auc', 'maximize'],
]);
checkGreedyOnRealData('digits', digits, [
  ['val_loss', 'minimize'],
  ['val_balanced_accuracy', 'maximize'],
]);
checkGreedyOnRealData('diabetes (ridge, k-NN regressors)', diabetes, [
  ['val_rmse', 'minimize'],
  ['val_r2', 'maximize'],
  ['val_loss', 'minimize'],
]);

describe('greedy selection improves on real data where members disagree', () => {
  it('diabetes RMSE: a mix of ridge and k-NN beats the best single model on validation and on test', () => {
    const data = diabetes();
    const problem: EnsembleProblem = { ...data.problem, metric: 'val_rmse', direction: 'minimize' };
    const result = greedySelection(data.candidates, problem);
    const report = scoreEnsemble(result, data.candidates, problem, data.testTargets);
    expect(result.members.length).toBeGreaterThan(1);
    expect(report.validationScore).toBeLessThan(report.bestSingle.validationScore - 1);
    expect(report.testGain).toBeGreaterThan(0);
    // The bag holds one member more than once (replacement): some weight is not a multiple of 1/members.
    const bag = [...Array(25).keys()]
      .map((n) => n + 1)
      .find((n) => result.weights.every((w) => Math.abs(w * n - Math.round(w * n)) < 1e-9))!;
    expect(result.weights.some((w) => Math.round(w * bag) >= 2)).toBe(true);
  });
});
