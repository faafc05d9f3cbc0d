import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { loadDataset } from '../../src/data/cache.js';
import { buildModel, modelOutputOf } from '../../src/models/index.js';
import { parseStudy } from '../../src/space/index.js';
import { ensureBackend } from '../../src/training/backend.js';
import { evaluate, forecast } from '../../src/training/fit.js';
import { modelInputOf } from '../../src/training/model-input.js';
import { fitRidge } from '../../src/training/ridge.js';
import { trainTrial } from '../../src/training/train-trial.js';
import type { Params } from '../../src/core/types.js';
import { repoPath } from '../helpers/tmp.js';

function airStudy(input: Record<string, unknown>, split: Record<string, unknown> = {}) {
  return parseStudy({
    name: 'air',
    data: {
      source: repoPath('datasets/air_passengers.csv'),
      target: 'passengers',
      task: 'regression',
      targetTransform: 'log',
      input: { kind: 'series', ...input },
      split,
    },
    objective: { metric: 'val_mape', direction: 'minimize' },
    training: { epochs: 20 },
    space: { model: 'ridge', alpha: 1e-4 },
  });
}

function trial(config: ReturnType<typeof airStudy>, params: Params, reports: number[] = []) {
  return trainTrial(
    {
      kind: 'train',
      trialNumber: 0,
      seed: 2,
      params,
      data: config.data!,
      dataSeed: 0,
      training: config.training,
      objective: config.objective,
    },
    { report: async (step) => (reports.push(step), { stop: false }) },
  );
}

/** A ridge autoregression fitted on one window's training prefix alone, scored on its validation horizon. */
async function ridgeOnWindow(config: ReturnType<typeof airStudy>, resample: number): Promise<number> {
  const dataset = loadDataset(config.data!, 0, resample);
  const model = buildModel(tf, { type: 'ridge', alpha: 1e-4 }, modelInputOf(dataset), modelOutputOf(dataset), new Rng(1));
  fitRidge(tf, model, dataset, 1e-4);
  const mape = evaluate(tf, model, dataset, dataset.validation).mape as number;
  model.dispose();
  return mape;
}

describe('a series trial ranked on backtests', () => {
  it('has the mean over its windows as its value, each window scored on its own prefix, earliest first', async () => {
    await ensureBackend('cpu');
    const config = airStudy({ lookback: 24, horizon: 24 });
    const reports: number[] = [];
    const outcome = await trial(config, { model: { type: 'ridge', alpha: 1e-4 } }, reports);
    expect(outcome.type, outcome.type === 'failed' ? outcome.reason : '').toBe('complete');
    if (outcome.type !== 'complete') return;
    const windows = outcome.attrs?.backtests ?? [];
    expect(windows.map((w) => w.validation)).toEqual([
      [48, 72],
      [72, 96],
      [96, 120],
    ]);
    expect(windows.map((w) => w.train)).toEqual([
      [24, 48],
      [24, 72],
      [24, 96],
    ]);
    const expected = [await ridgeOnWindow(config, 2), await ridgeOnWindow(config, 1), await ridgeOnWindow(config, 0)];
    windows.forEach((w, i) => expect(w.value).toBeCloseTo(expected[i]!, 6));
    // The windows disagree (this is why one is not enough), and the trial is ranked by their mean.
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(0.1);
    const mean = expected.reduce((a, b) => a + b, 0) / 3;
    expect(outcome.value).toBeCloseTo(mean, 6);
    expect(outcome.metrics).toMatchObject({ backtest_windows: 3, backtest_mean: outcome.value });
    const std = Math.sqrt(expected.reduce((s, v) => s + (v - mean) ** 2, 0) / 2);
    expect(outcome.metrics.backtest_std).toBeCloseTo(std, 6);
    // The trial's own metrics and model are the latest window's; only it reported to the scheduler.
    expect(outcome.metrics.val_mape).toBeCloseTo(expected[2]!, 6);
    expect(reports).toEqual([1]);
  });

  it('fits a gradient-trained network on every window, reporting only the latest window’s epochs', async () => {
    const config = airStudy({ lookback: 12, horizon: 24 }, { backtests: 2 });
    const reports: number[] = [];
    const outcome = await trial(config, { layers: 0, learningRate: 0.01, batchSize: 16 }, reports);
    expect(outcome.type, outcome.type === 'failed' ? outcome.reason : '').toBe('complete');
    if (outcome.type !== 'complete') return;
    expect(outcome.metrics.backtest_windows).toBe(2);
    const values = (outcome.attrs?.backtests ?? []).map((w) => w.value);
    expect(outcome.value).toBeCloseTo((values[0]! + values[1]!) / 2, 9);
    expect(values[1]).toBe(outcome.metrics.val_mape);
    expect(reports).toEqual(Array.from({ length: outcome.metrics.epochs_trained as number }, (_, i) => i + 1));
  });
});

describe('direct multi-horizon forecasts', () => {
  it('gives the model one output per horizon step and forecasts the whole horizon from one call', async () => {
    await ensureBackend('cpu');
    const dataset = loadDataset(airStudy({ lookback: 24, horizon: 12, strategy: 'direct' }).data!, 0);
    expect(modelOutputOf(dataset)).toEqual({ kind: 'values', values: 12 });
    // Each training row holds the 12 values that follow its window.
    expect(dataset.train.y.length).toBe(dataset.train.rows * 12);
    expect(dataset.train.y[12]).toBe(dataset.train.y[1]);
    const spec = {
      type: 'mlp',
      layers: 1,
      units: 8,
      activation: 'relu',
      dropout: 0,
      l2: 0,
      batchNorm: false,
      residual: false,
      numericEmbedding: 'none',
      embeddingScale: 0.1,
    } as const;
    const model = buildModel(tf, spec, modelInputOf(dataset), modelOutputOf(dataset), new Rng(3));
    expect(model.outputs[0]!.shape).toEqual([null, 12]);
    const steps = forecast(tf, model, dataset, dataset.test);
    const direct = model.predict(tf.tensor(dataset.test.x.subarray(0, 24), [1, 24, 1])) as tf.Tensor;
    expect(Array.from(steps)).toEqual(Array.from(direct.dataSync()));
    direct.dispose();
    model.dispose();
  });

  it('a direct ridge trial forecasts the 12 test months from one cut-off', async () => {
    const outcome = await trial(airStudy({ lookback: 24, horizon: 12, strategy: 'direct' }), { model: { type: 'ridge', alpha: 1e-3 } });
    expect(outcome.type, outcome.type === 'failed' ? outcome.reason : '').toBe('complete');
    if (outcome.type !== 'complete') return;
    expect(outcome.metrics.parameters).toBe(24 * 12 + 12);
    expect(outcome.metrics.test_mape).toBeLessThan(10);
  });
});
