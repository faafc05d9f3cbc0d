import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/core/types.js';
import { parseStudy } from '../../src/space/index.js';
import { diagnose } from '../../src/training/diagnostics.js';
import type { Reporter, TrainTask } from '../../src/training/protocol.js';
import { learningRateAt } from '../../src/training/schedule.js';
import { trainTrial } from '../../src/training/train-trial.js';
import { repoPath } from '../helpers/tmp.js';

function diabetes(params: TrainTask['params'], epochs: number, split?: { validation: number; test: number }): TrainTask {
  const config = parseStudy({
    name: 'd',
    data: { source: repoPath('datasets/diabetes.csv'), target: 'progression', task: 'regression', ...(split ? { split } : {}) },
    objective: { metric: 'val_loss', direction: 'minimize' },
    training: { epochs },
    space: { loss: 'auto' },
  });
  return {
    kind: 'train',
    trialNumber: 0,
    seed: 5,
    params,
    data: config.data!,
    dataSeed: 1,
    training: config.training,
    objective: config.objective,
  };
}

function recorder(): Reporter & { steps: Metrics[] } {
  const steps: Metrics[] = [];
  return { steps, report: async (_s, m) => (steps.push(m), { stop: false }) };
}

describe('learning-rate schedules', () => {
  it('steps, anneals and warms up as documented', () => {
    expect([1, 2, 3, 4, 5].map((e) => learningRateAt(e, 0.1, { type: 'step', every: 2, factor: 0.5 }, 5, 0))).toEqual([
      0.1, 0.1, 0.05, 0.05, 0.025,
    ]);
    expect(learningRateAt(1, 0.1, { type: 'cosine', minFactor: 0 }, 11, 0)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(6, 0.1, { type: 'cosine', minFactor: 0 }, 11, 0)).toBeCloseTo(0.05, 12);
    expect(learningRateAt(11, 0.1, { type: 'cosine', minFactor: 0.1 }, 11, 0)).toBeCloseTo(0.01, 12);
    [0.1, 0.2, 0.3, 0.3].forEach((expected, i) =>
      expect(learningRateAt(i + 1, 0.3, { type: 'constant' }, 10, 2)).toBeCloseTo(expected, 12),
    );
  });

  it('are applied to the optimizer and reported every epoch', async () => {
    const r = recorder();
    await trainTrial(diabetes({ layers: 1, units: 8, learningRate: 0.04, schedule: { type: 'step', every: 2, factor: 0.5 } }, 5), r);
    expect(r.steps.map((m) => m.learning_rate)).toEqual([0.04, 0.04, 0.02, 0.02, 0.01]);
    expect(r.steps.every((m) => (m.grad_norm as number) > 0)).toBe(true);
  });
});

describe('training diagnoses, each triggered by a crafted trial', () => {
  it('a learning rate of 10 explodes: the trial fails with that reason', async () => {
    const outcome = await trainTrial(diabetes({ layers: 2, units: 64, optimizer: 'sgd', learningRate: 10, batchSize: 8 }, 10), recorder());
    expect(outcome.type).toBe('failed');
    if (outcome.type === 'failed')
      expect(outcome.reason).toMatch(
        /^(training loss became (NaN|Infinity)|exploding gradients: the gradient norm became (NaN|Infinity)) at epoch \d+$/,
      );
  });

  it('clipping the gradient norm keeps the same trial finite', async () => {
    const outcome = await trainTrial(
      diabetes({ layers: 2, units: 64, optimizer: 'sgd', learningRate: 0.3, batchSize: 8, clipNorm: 0.5 }, 5),
      recorder(),
    );
    expect(outcome.type).toBe('complete');
  });

  it('a model that cannot learn (learning rate 1e-9) is diagnosed as underfitting', async () => {
    const outcome = await trainTrial(diabetes({ layers: 1, units: 4, learningRate: 1e-9 }, 3), recorder());
    expect(outcome.type).toBe('complete');
    if (outcome.type === 'complete')
      expect((outcome.attrs?.diagnoses as string[] | undefined)?.join('\n')).toMatch(/^underfitting: training MSE/m);
  });

  it('a large model on 44 training rows is diagnosed as overfitting', async () => {
    const r = recorder();
    const outcome = await trainTrial(
      diabetes({ layers: 3, units: 256, learningRate: 0.003, batchSize: 8 }, 60, { validation: 0.7, test: 0.2 }),
      r,
    );
    expect(outcome.type).toBe('complete');
    if (outcome.type === 'complete') expect((outcome.attrs?.diagnoses as string[] | undefined)?.join('\n')).toMatch(/^overfitting: /m);
  });

  it('patience stops a trial that stopped improving, and says so', async () => {
    const r = recorder();
    const outcome = await trainTrial(
      diabetes({ layers: 3, units: 256, learningRate: 0.003, batchSize: 8, patience: 4 }, 60, { validation: 0.7, test: 0.2 }),
      r,
    );
    expect(outcome.type).toBe('complete');
    if (outcome.type !== 'complete') return;
    expect(r.steps.length).toBeLessThan(60);
    expect(outcome.metrics.epochs_trained).toBe(r.steps.length);
    expect(r.steps.length - (outcome.metrics.best_epoch as number)).toBe(4);
    expect((outcome.attrs?.diagnoses as string[] | undefined)?.join('\n')).toContain('early stopping: no improvement for 4 epochs');
  });

  it('diagnose() reads histories it is given', () => {
    const rising = [0.5, 0.4, 0.45, 0.5, 0.6].map((v, i) => ({ loss: 0.5 - i * 0.1, val_loss: v }));
    expect(diagnose(rising, { classification: false, majorityShare: 0 })[0]).toMatch(/^overfitting: validation loss rose for 3 epochs/);
    expect(diagnose([{ loss: 1.2, val_loss: 1.1, accuracy: 0.34 }], { classification: true, majorityShare: 0.34 })[0]).toMatch(
      /^underfitting/,
    );
    expect(diagnose([{ loss: 0.2, val_loss: 0.25, grad_norm: 1e-9 }], { classification: false, majorityShare: 0 })).toEqual([
      'vanishing gradients: norm below 1e-7',
    ]);
    expect(diagnose([{ loss: 0.2, val_loss: 0.25, grad_norm: 0.5 }], { classification: false, majorityShare: 0 })).toEqual([]);
  });
});
