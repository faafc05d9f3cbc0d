import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { foldSplit, splitRows } from '../../src/data/split.js';
import { loadDataset } from '../../src/data/cache.js';
import { parseStudy } from '../../src/space/index.js';
import { foldSummary } from '../../src/training/folds.js';
import { trainTrial } from '../../src/training/train-trial.js';
import { repoPath } from '../helpers/tmp.js';

function wine(folds?: number) {
  return parseStudy({
    name: 'wine-cv',
    data: {
      source: repoPath('datasets/wine.csv'),
      target: 'cultivar',
      task: 'classification',
      split: { validation: 0.15, test: 0.15, ...(folds ? { folds } : {}) },
    },
    objective: { metric: 'val_accuracy', direction: 'maximize' },
    training: { epochs: 15 },
    space: { learningRate: 0.01 },
  });
}

describe('k-fold cross-validation', () => {
  it('deals the training and validation rows into disjoint, stratified folds, and leaves the test rows alone', () => {
    const labels = Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? 'a' : 'b'));
    const split = splitRows(120, { validation: 0.2, test: 0.2 }, new Rng(1), labels);
    const folds = [0, 1, 2, 3].map((f) => foldSplit(split, 4, f, new Rng(9), labels));
    const validated = folds.flatMap((f) => f.validation).sort((a, b) => a - b);
    expect(validated).toEqual([...split.train, ...split.validation].sort((a, b) => a - b));
    for (const f of folds) {
      expect(f.test).toEqual(split.test);
      expect(f.train.length + f.validation.length).toBe(split.train.length + split.validation.length);
      expect(f.train.some((r) => f.validation.includes(r))).toBe(false);
      const share = f.validation.filter((r) => labels[r] === 'a').length / f.validation.length;
      expect(share).toBeGreaterThan(0.2);
      expect(share).toBeLessThan(0.45);
    }
    // Same seed, same folds: every trial of a study sees the same ones.
    expect(foldSplit(split, 4, 2, new Rng(9), labels)).toEqual(folds[2]);
  });

  it('prepares each fold with statistics fitted on its own training rows', () => {
    const data = wine(3).data!;
    const [a, b] = [loadDataset(data, 1, 0), loadDataset(data, 1, 1)];
    expect(a.validation.rows + a.train.rows).toBe(b.validation.rows + b.train.rows);
    expect(a.featureScaler.mean).not.toEqual(b.featureScaler.mean);
    expect(Array.from(a.test.y)).toEqual(Array.from(b.test.y));
  });

  it('makes a trial’s value the mean of its folds’ best scores, with their spread', async () => {
    const config = wine(3);
    const task = {
      kind: 'train' as const,
      trialNumber: 0,
      seed: 5,
      params: { layers: 1, units: 16, learningRate: 0.01 },
      data: config.data!,
      dataSeed: 1,
      training: config.training,
      objective: config.objective,
    };
    const reports: number[] = [];
    const outcome = await trainTrial(task, { report: async (step) => (reports.push(step), { stop: false }) });
    expect(outcome.type, outcome.type === 'failed' ? outcome.reason : '').toBe('complete');
    if (outcome.type !== 'complete') return;
    expect(outcome.metrics.cv_folds).toBe(3);
    expect(outcome.value).toBe(outcome.metrics.cv_mean);
    // Fold 0's own best is the objective metric; no one score of n lies further from their mean than
    // std·(n−1)/√n (sample std), so a spread reported wrong (zero, or a variance) shows here.
    const { cv_mean: mean, cv_std: std, val_accuracy: fold0 } = outcome.metrics as Record<string, number>;
    expect(Math.abs((fold0 as number) - (mean as number))).toBeLessThanOrEqual(((std as number) * 2) / Math.sqrt(3) + 1e-9);
    expect(outcome.value).toBeGreaterThan(0.85);
    // Only fold 0 reports its epochs to the scheduler: one report per epoch it trained, numbered from 1.
    expect(reports.length).toBeGreaterThan(0);
    expect(reports).toEqual(Array.from({ length: outcome.metrics.epochs_trained as number }, (_, i) => i + 1));
  });

  it('summarises fold scores as their mean and sample standard deviation', () => {
    const { mean, std } = foldSummary([0.8, 0.9, 1.0]);
    expect(mean).toBeCloseTo(0.9, 12);
    expect(std).toBeCloseTo(0.1, 12);
    expect(foldSummary([0.7])).toEqual({ mean: 0.7, std: 0 });
  });

  it('is refused for a time series, naming the setting', () => {
    expect(() =>
      parseStudy({
        name: 's',
        data: {
          source: 'x.csv',
          target: 'y',
          task: 'regression',
          input: { kind: 'series', lookback: 4, horizon: 4 },
          split: { validation: 0.1, test: 0.1, folds: 3 },
        },
        objective: { metric: 'val_mae', direction: 'minimize' },
        space: { learningRate: 0.01 },
      }),
    ).toThrow(/data\.split\.folds/);
  });
});
