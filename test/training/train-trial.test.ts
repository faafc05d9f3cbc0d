import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/core/types.js';
import { parseStudy, resolveStudyPaths } from '../../src/space/index.js';
import { ensureBackend } from '../../src/training/backend.js';
import * as tf from '@tensorflow/tfjs';
import type { Reporter, TrainTask } from '../../src/training/protocol.js';
import { trainTrial } from '../../src/training/train-trial.js';
import { repoPath } from '../helpers/tmp.js';

function task(
  dataset: string,
  target: string,
  taskType: 'classification' | 'regression',
  params: TrainTask['params'],
  epochs = 10,
): TrainTask {
  const config = parseStudy({
    name: 't',
    data: { source: repoPath('datasets', dataset), target, task: taskType },
    objective: {
      metric: taskType === 'classification' ? 'val_accuracy' : 'val_mae',
      direction: taskType === 'classification' ? 'maximize' : 'minimize',
    },
    training: { epochs },
    space: { loss: 'auto' },
  });
  return {
    kind: 'train',
    trialNumber: 0,
    seed: 1234,
    params,
    data: config.data!,
    dataSeed: 0,
    training: config.training,
    objective: config.objective,
  };
}

function recorder(stopAfter = Infinity): Reporter & { steps: [number, Metrics][] } {
  const steps: [number, Metrics][] = [];
  return { steps, report: async (step, metrics) => (steps.push([step, metrics]), { stop: step >= stopAfter }) };
}

describe('trainTrial (in-process)', () => {
  it('learns iris, reports every epoch and returns the best epoch with test metrics', async () => {
    const reporter = recorder();
    const outcome = await trainTrial(
      task('iris.csv', 'species', 'classification', { layers: 1, units: 16, learningRate: 0.05, batchSize: 8 }, 30),
      reporter,
    );
    expect(outcome.type).toBe('complete');
    if (outcome.type !== 'complete') return;
    expect(outcome.backend).toMatch(/^(tensorflow|wasm|cpu)$/);
    expect(reporter.steps.map(([s]) => s)).toEqual([...Array(30).keys()].map((i) => i + 1));
    expect(outcome.value).toBeGreaterThanOrEqual(0.9);
    expect(outcome.metrics.test_accuracy).toBeGreaterThanOrEqual(0.85);
    expect(outcome.value).toBe(Math.max(...reporter.steps.map(([, m]) => m.val_accuracy as number)));
    expect(reporter.steps[29]?.[1].loss).toBeLessThan(reporter.steps[0]?.[1].loss as number);
  });

  it('repeats exactly for the same seed, dropout included', async () => {
    const params = { layers: 2, units: 32, dropout: 0.3, learningRate: 0.01, batchSize: 16 };
    const a = recorder();
    const b = recorder();
    await trainTrial(task('wine.csv', 'cultivar', 'classification', params), a);
    await trainTrial(task('wine.csv', 'cultivar', 'classification', params), b);
    // Everything but the measured throughput must be identical.
    const learned = (r: typeof a) => r.steps.map(([step, { samples_per_second: _speed, ...m }]) => [step, m]);
    expect(learned(b)).toEqual(learned(a));
    const c = recorder();
    await trainTrial({ ...task('wine.csv', 'cultivar', 'classification', params), seed: 99 }, c);
    expect(learned(c)).not.toEqual(learned(a));
  });

  it('releases every tensor it made', async () => {
    await ensureBackend('auto');
    const before = tf.memory().numTensors;
    await trainTrial(task('diabetes.csv', 'progression', 'regression', { layers: 1, units: 8, dropout: 0.1 }, 3), recorder());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops when the scheduler says so and returns a pruned outcome', async () => {
    const outcome = await trainTrial(task('iris.csv', 'species', 'classification', {}, 20), recorder(4));
    expect(outcome).toMatchObject({ type: 'pruned', step: 4, metrics: { epochs_trained: 4 } });
  });

  it('fails with a reason when the loss diverges', async () => {
    const outcome = await trainTrial(
      task('diabetes.csv', 'progression', 'regression', { layers: 2, units: 64, optimizer: 'sgd', learningRate: 5, batchSize: 8 }, 20),
      recorder(),
    );
    expect(outcome.type).toBe('failed');
    if (outcome.type === 'failed') expect(outcome.reason).toMatch(/^training loss became (NaN|Infinity) at epoch \d+$/);
  });

  it('fails with a reason for parameters it cannot use', async () => {
    const outcome = await trainTrial(task('iris.csv', 'species', 'classification', { optimizer: 'adadelta' }), recorder());
    expect(outcome).toMatchObject({ type: 'failed', reason: 'parameter optimizer="adadelta" must be one of sgd, adam, rmsprop, adagrad' });
    const cnn = await trainTrial(task('iris.csv', 'species', 'classification', { model: { type: 'cnn' } }), recorder());
    expect(cnn).toMatchObject({ type: 'failed', reason: expect.stringMatching(/^a cnn needs image input/) });
    const transformer = await trainTrial(task('iris.csv', 'species', 'classification', { model: { type: 'transformer' } }), recorder());
    expect(transformer).toMatchObject({ type: 'failed', reason: expect.stringMatching(/^a transformer reads text as token ids/) });
    const other = await trainTrial(task('iris.csv', 'species', 'classification', { model: { type: 'xgboost' } }), recorder());
    expect(other).toMatchObject({
      type: 'failed',
      reason:
        'model type "xgboost" is not available (available: mlp, linear, cnn, rnn, transformer, ridge, logistic, majority, mean, seasonalNaive)',
    });
  });

  it('reports regression metrics in the target units', async () => {
    const reporter = recorder();
    const outcome = await trainTrial(
      task('diabetes.csv', 'progression', 'regression', { layers: 1, units: 16, learningRate: 0.01 }, 40),
      reporter,
    );
    expect(outcome.type).toBe('complete');
    const last = reporter.steps.at(-1)?.[1];
    // Progression spans 25..346 with sd ≈ 77; a useful model is far better than the sd.
    expect(last?.val_mae).toBeGreaterThan(20);
    expect(last?.val_mae).toBeLessThan(65);
    expect(last?.val_r2).toBeGreaterThan(0.2);
  });
});

describe('class weights', () => {
  it('penguins (imbalanced): a weighted trial trains, completes and weighs the training loss only', async () => {
    const params = { layers: 1, units: 16, learningRate: 0.01, batchSize: 16 };
    const plain = recorder();
    const weighted = recorder();
    await trainTrial(task('penguins.csv', 'species', 'classification', params, 15), plain);
    const outcome = await trainTrial(task('penguins.csv', 'species', 'classification', { ...params, classWeights: true }, 15), weighted);
    expect(outcome.type).toBe('complete');
    if (outcome.type !== 'complete') return;
    expect(outcome.metrics.test_balanced_accuracy).toBeGreaterThanOrEqual(0.9);
    // Same seed, same initial weights: the first epoch's training loss differs only through the weights.
    expect(weighted.steps[0]?.[1].loss).not.toBeCloseTo(plain.steps[0]?.[1].loss as number, 4);
  });

  it('fails a regression trial that asks for class weights, saying why', async () => {
    const outcome = await trainTrial(task('diabetes.csv', 'progression', 'regression', { classWeights: true }, 2), recorder());
    expect(outcome).toMatchObject({ type: 'failed', reason: 'classWeights weighs classes: it needs a classification task' });
  });
});

describe('a custom loss from the study’s loss module', () => {
  const withLoss = (module: string, params: TrainTask['params'] = {}, epochs = 15): TrainTask => {
    const base = task(
      'wine.csv',
      'cultivar',
      'classification',
      { layers: 1, units: 16, learningRate: 0.02, batchSize: 16, loss: 'custom', ...params },
      epochs,
    );
    return { ...base, training: { ...base.training, lossModule: repoPath('test/fixtures/losses', module) } };
  };

  it('resolves training.lossModule against the study file’s folder', () => {
    const config = parseStudy({
      name: 't',
      objective: { module: './o.mjs', direction: 'minimize' },
      training: { lossModule: './losses/focal.mjs' },
      space: { a: 1 },
    });
    expect(resolveStudyPaths(config, repoPath('test/fixtures')).training.lossModule).toBe(repoPath('test/fixtures/losses/focal.mjs'));
  });

  it('wine: trains with a focal loss, whose training loss stays below cross-entropy’s', async () => {
    const focal = recorder();
    const outcome = await trainTrial(withLoss('focal.mjs'), focal);
    expect(outcome.type).toBe('complete');
    if (outcome.type !== 'complete') return;
    expect(outcome.value).toBeGreaterThanOrEqual(0.9);
    const crossentropy = recorder();
    await trainTrial(withLoss('focal.mjs', { loss: 'crossentropy' }), crossentropy);
    expect(focal.steps[0]?.[1].loss).toBeLessThan(crossentropy.steps[0]?.[1].loss as number);
    // Validation metrics are the task's own (log loss), whichever loss trained the model.
    expect(focal.steps[0]?.[1].val_loss).toBeGreaterThan(focal.steps[0]?.[1].loss as number);
  });

  it('fails the trial naming the file when the module is missing, not a function or returns a non-scalar', async () => {
    const missing = await trainTrial(withLoss('nowhere.mjs', {}, 1), recorder());
    expect(missing).toMatchObject({
      type: 'failed',
      reason: expect.stringMatching(/^training\.lossModule .*nowhere\.mjs: cannot load the module/),
    });
    const notFunction = await trainTrial(withLoss('not-a-function.mjs', {}, 1), recorder());
    expect(notFunction).toMatchObject({
      type: 'failed',
      reason: `training.lossModule ${repoPath('test/fixtures/losses/not-a-function.mjs')}: the default export must be a function (tf, yTrue, yPred) => tf.Scalar, not a number`,
    });
    const perExample = await trainTrial(withLoss('per-example.mjs', {}, 1), recorder());
    expect(perExample).toMatchObject({
      type: 'failed',
      reason: expect.stringMatching(/per-example\.mjs: the loss must return a scalar tensor, not a tensor of shape \[16\]$/),
    });
    const unset = await trainTrial(task('wine.csv', 'cultivar', 'classification', { loss: 'custom' }, 1), recorder());
    expect(unset).toMatchObject({ type: 'failed', reason: 'loss "custom" needs training.lossModule in the study file' });
  });
});

describe('the same seeded trial on every backend', () => {
  it('reaches the same validation accuracy on cpu and wasm, and records which ran', async () => {
    const params = { layers: 1, units: 32, learningRate: 0.02, batchSize: 16 };
    const outcomes = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      const base = task('wine.csv', 'cultivar', 'classification', params, 15);
      outcomes.push(await trainTrial({ ...base, training: { ...base.training, backend } }, recorder()));
    }
    const [cpu, wasm] = outcomes;
    expect(cpu).toMatchObject({ type: 'complete', backend: 'cpu' });
    expect(wasm).toMatchObject({ type: 'complete', backend: 'wasm' });
    if (cpu?.type !== 'complete' || wasm?.type !== 'complete') return;
    // Same seed, same data, same initial weights: only floating-point summation order differs.
    expect(Math.abs(cpu.value - wasm.value)).toBeLessThanOrEqual(0.04);
    expect(cpu.value).toBeGreaterThanOrEqual(0.9);
  });
});

describe('a worker stays the same size', () => {
  it('returns to its tensor baseline after each of 50 trials of varied models', async () => {
    await ensureBackend('auto');
    const models: TrainTask['params'][] = [
      { layers: 2, units: 16, dropout: 0.2 },
      { layers: 0 },
      { layers: 1, units: 8, optimizer: 'sgd', momentum: 0.9, classWeights: true },
      { layers: 1, units: 4, optimizer: 'rmsprop', clipNorm: 1 },
    ];
    await trainTrial(task('iris.csv', 'species', 'classification', models[0]!, 2), recorder());
    const baseline = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      const outcome = await trainTrial(
        { ...task('iris.csv', 'species', 'classification', models[i % models.length]!, 2), seed: i },
        recorder(),
      );
      expect(outcome.type).toBe('complete');
      expect(tf.memory().numTensors).toBe(baseline);
    }
  });
});
