import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/cache.js';
import { parseStudy } from '../../src/space/index.js';
import { ensureBackend } from '../../src/training/backend.js';
import { forecast } from '../../src/training/fit.js';
import { trainTrial } from '../../src/training/train-trial.js';
import { repoPath } from '../helpers/tmp.js';

const config = parseStudy({
  name: 'air',
  data: {
    source: repoPath('datasets/air_passengers.csv'),
    target: 'passengers',
    task: 'regression',
    targetTransform: 'log',
    input: { kind: 'series', lookback: 12, horizon: 24 },
  },
  objective: { metric: 'val_mape', direction: 'minimize' },
  training: { epochs: 60 },
  space: { loss: 'auto' },
});

describe('time-series input', () => {
  it('splits chronologically into windows: train, then a validation horizon, then the last 24 months', () => {
    const d = loadDataset(config.data!, 0);
    expect(d.inputShape).toEqual([12, 1]);
    expect(d.train.rows).toBe(144 - 48 - 12);
    expect(d.validation.rows).toBe(24);
    expect(d.test.rows).toBe(24);
    // The test targets are the last 24 months, in order: 1959-01 … 1960-12 (log, standardized).
    const s = d.targetScaler!;
    const passengers = Array.from(d.test.y, (z) => Math.round(Math.expm1(z * s.std + s.mean)));
    expect(passengers.slice(0, 3)).toEqual([360, 342, 406]);
    expect(passengers.at(-1)).toBe(432);
    // Each window ends right before its target: the last lag of a test window is the previous month.
    expect(d.test.x[1 * 12 + 11]).toBeCloseTo(d.test.y[0] as number, 6);
  });

  it('forecasts recursively from the cut-off: later inputs are the model’s own predictions', async () => {
    await ensureBackend('cpu');
    const d = loadDataset(config.data!, 0);
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [12, 1] }),
        tf.layers.dense({ units: 1, kernelInitializer: 'zeros', biasInitializer: 'ones' }),
      ],
    });
    // A model that always predicts 1 forecasts 1 at every step, whatever the true values are.
    expect(Array.from(forecast(tf, model, d, d.test))).toEqual(Array(24).fill(1));
    model.dispose();
  });

  it('a linear autoregression on the log series forecasts the last 24 months with MAPE under 12 %', async () => {
    const outcome = await trainTrial(
      {
        kind: 'train',
        trialNumber: 0,
        seed: 3,
        params: { layers: 0, learningRate: 0.01, batchSize: 8 },
        data: config.data!,
        dataSeed: 0,
        training: config.training,
        objective: config.objective,
      },
      { report: async () => ({ stop: false }) },
    );
    expect(outcome.type).toBe('complete');
    if (outcome.type === 'complete') {
      expect(outcome.metrics.test_mape).toBeLessThan(12);
      expect(outcome.metrics.test_mape).toBeGreaterThan(0.5);
    }
  });
});

describe('closed-form linear autoregression (ridge)', () => {
  it('forecasts the last 24 months of air passengers with MAPE under 4 % (least-squares AR on the log series: 3.5 %)', async () => {
    const lookback24 = parseStudy({
      ...config,
      $schema: undefined,
      data: { ...config.data!, input: { kind: 'series', lookback: 24, horizon: 24 } },
    });
    const r: number[] = [];
    const outcome = await trainTrial(
      {
        kind: 'train',
        trialNumber: 0,
        seed: 1,
        params: { model: { type: 'ridge', alpha: 1e-4 } },
        data: lookback24.data!,
        dataSeed: 0,
        training: lookback24.training,
        objective: lookback24.objective,
      },
      { report: async (step) => (r.push(step), { stop: false }) },
    );
    expect(outcome.type).toBe('complete');
    if (outcome.type !== 'complete') return;
    expect(r).toEqual([1]);
    expect(outcome.metrics.test_mape).toBeLessThan(4);
    expect(outcome.metrics.epochs_trained).toBe(1);
  });

  it('refuses classification with a reason', async () => {
    const iris = parseStudy({
      name: 'i',
      data: { source: repoPath('datasets/iris.csv'), target: 'species', task: 'classification' },
      objective: { metric: 'val_loss', direction: 'minimize' },
      space: { loss: 'auto' },
    });
    const outcome = await trainTrial(
      {
        kind: 'train',
        trialNumber: 0,
        seed: 1,
        params: { model: { type: 'ridge' } },
        data: iris.data!,
        dataSeed: 0,
        training: iris.training,
        objective: iris.objective,
      },
      { report: async () => ({ stop: false }) },
    );
    expect(outcome).toMatchObject({ type: 'failed', reason: 'ridge is a regression model; use mlp with layers 0 for a linear classifier' });
  });
});
