import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import {
  averageTopN,
  combine,
  greedySelection,
  majorityVote,
  metricKey,
  predictEnsemble,
  predictionsOf,
  scoreEnsemble,
  scorePredictions,
  vote,
  type Candidate,
  type EnsembleProblem,
} from '../../src/ensemble/index.js';
import { classificationMetrics } from '../../src/training/metrics.js';
import { digits } from './fixtures.js';

const f32 = (xs: number[]) => Float32Array.from(xs);

describe('scoring by the study objective', () => {
  it('strips val_ and maps loss to log loss (classification) or MSE in target units (regression)', () => {
    expect(metricKey('val_accuracy')).toBe('accuracy');
    const probabilities = f32([0.8, 0.2, 0.4, 0.6]);
    const classification: EnsembleProblem = {
      task: 'classification',
      classes: 2,
      targets: f32([0, 0]),
      metric: 'val_loss',
      direction: 'minimize',
    };
    expect(scorePredictions(probabilities, classification)).toBeCloseTo(-(Math.log(0.8) + Math.log(0.4)) / 2, 6);
    expect(scorePredictions(probabilities, { ...classification, metric: 'val_accuracy' })).toBe(0.5);
    const regression: EnsembleProblem = {
      task: 'regression',
      classes: 1,
      targets: f32([100, 200]),
      metric: 'val_loss',
      direction: 'minimize',
    };
    expect(scorePredictions(f32([110, 190]), regression)).toBeCloseTo(100, 4);
    expect(scorePredictions(f32([110, 190]), { ...regression, metric: 'val_rmse' })).toBeCloseTo(10, 4);
    expect(() => scorePredictions(probabilities, { ...classification, metric: 'val_mape' })).toThrow(InputError);
  });
});

describe('combine', () => {
  it('is the weighted average for any split, normalising raw counts', () => {
    const predictions = new Map([
      [3, f32([1, 0, 4])],
      [8, f32([0, 1, 2])],
    ]);
    expect(Array.from(combine([3, 8], [3, 1], predictions))).toEqual([0.75, 0.25, 3.5]);
    expect(() => combine([3, 9], [1, 1], predictions)).toThrow(/no predictions for member 9/);
    expect(() => combine([3], [1, 1], predictions)).toThrow(InputError);
  });
});

describe('average of the top N', () => {
  it('averages the N best by own validation score with equal weights', () => {
    const problem: EnsembleProblem = { task: 'regression', classes: 1, targets: f32([0, 0]), metric: 'val_mae', direction: 'minimize' };
    const candidates: Candidate[] = [
      { id: 0, validation: f32([5, 5]) },
      { id: 1, validation: f32([1, 1]) },
      { id: 2, validation: f32([-2, -2]) },
    ];
    const result = averageTopN(candidates, problem, 2);
    expect(result.members).toEqual([1, 2]);
    expect(result.weights).toEqual([0.5, 0.5]);
    expect(result.validationScore).toBeCloseTo(0.5, 6);
  });
});

describe('majority vote', () => {
  it('counts argmax votes; a tie goes to the larger summed probability', () => {
    const a = f32([0.6, 0.3, 0.1, /**/ 0.9, 0.05, 0.05, /**/ 0.5, 0.5, 0]);
    const b = f32([0.2, 0.7, 0.1, /**/ 0.4, 0.5, 0.1, /**/ 0.1, 0.2, 0.7]);
    const c = f32([0.1, 0.5, 0.4, /**/ 0.3, 0.3, 0.4, /**/ 0.1, 0.1, 0.8]);
    // Row 0: votes 0,1,1 → 1. Row 1: one vote each; mass 1.6 / 0.85 / 0.55 → 0. Row 2: a's exact tie takes class 0; 2 wins 2–1.
    expect(Array.from(vote([a, b, c], 3))).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 1]);
    const problem: EnsembleProblem = {
      task: 'classification',
      classes: 3,
      targets: f32([1, 0, 2]),
      metric: 'val_accuracy',
      direction: 'maximize',
    };
    const candidates = [a, b, c].map((validation, id) => ({ id, validation }));
    const result = majorityVote(candidates, problem);
    expect(result.members).toEqual([0, 1, 2]);
    expect(result.validationScore).toBe(1);
    expect(() => majorityVote(candidates, { ...problem, task: 'regression' })).toThrow(InputError);
  });
});

describe('score report on real data (digits, 10 classes)', () => {
  it('scores every ensemble kind on the test split next to the best single model', () => {
    const data = digits();
    const problem: EnsembleProblem = { ...data.problem, metric: 'val_accuracy', direction: 'maximize' };
    const test = predictionsOf(data.candidates, 'test');
    for (const ensemble of [
      greedySelection(data.candidates, problem),
      averageTopN(data.candidates, problem, 3),
      majorityVote(data.candidates, problem, { n: 5 }),
    ]) {
      const report = scoreEnsemble(ensemble, data.candidates, problem, data.testTargets);
      const predicted = predictEnsemble(ensemble, test, problem);
      expect(report.testScore).toBe(classificationMetrics(predicted, data.testTargets, 10).accuracy);
      expect(report.testGain).toBeCloseTo((report.testScore as number) - (report.bestSingle.testScore as number), 12);
      expect(report.validationScore).toBeGreaterThan(0.9);
    }
    // Three different learners averaged beat the best single one on unseen rows here.
    const average = scoreEnsemble(averageTopN(data.candidates, problem, 3), data.candidates, problem, data.testTargets);
    expect(average.testGain).toBeGreaterThan(0);
    expect(scoreEnsemble(averageTopN(data.candidates, problem, 3), data.candidates, problem).testScore).toBeNull();
  });
});
