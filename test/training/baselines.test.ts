import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/core/types.js';
import { loadDataset } from '../../src/data/cache.js';
import { RIDGE_ALPHAS } from '../../src/maths/ridge.js';
import { parseStudy } from '../../src/space/index.js';
import type { DataConfig } from '../../src/space/schema.js';
import type { Reporter, TrainTask, TrialOutcome } from '../../src/training/protocol.js';
import { trainTrial } from '../../src/training/train-trial.js';
import { repoPath } from '../helpers/tmp.js';

// Each baseline's value against a computation from the raw CSV, on the rows the study's split put where.

function study(data: Record<string, unknown>, metric: string, direction: 'minimize' | 'maximize') {
  return parseStudy({ name: 'b', data, objective: { metric, direction }, training: { epochs: 5 }, space: { loss: 'auto' } });
}

function task(config: ReturnType<typeof study>, params: TrainTask['params']): TrainTask {
  return {
    kind: 'train',
    trialNumber: 0,
    seed: 99,
    params,
    data: config.data!,
    dataSeed: 0,
    training: config.training,
    objective: config.objective,
  };
}

function recorder(): Reporter & { steps: [number, Metrics][] } {
  const steps: [number, Metrics][] = [];
  return { steps, report: async (step, metrics) => (steps.push([step, metrics]), { stop: false }) };
}

async function completed(t: TrainTask): Promise<Extract<TrialOutcome, { type: 'complete' }> & { steps: number[] }> {
  const reporter = recorder();
  const outcome = await trainTrial(t, reporter);
  if (outcome.type !== 'complete') throw new Error(`trial ${outcome.type}: ${outcome.type === 'failed' ? outcome.reason : ''}`);
  return { ...outcome, steps: reporter.steps.map(([step]) => step) };
}

/** A column of a plain CSV (no quoted commas in these files), by data row. */
function column(file: string, name: string): string[] {
  const [header, ...lines] = readFileSync(repoPath('datasets', file), 'utf8').trim().split('\n');
  const index = (header as string).split(',').indexOf(name);
  return lines.map((line) => line.split(',')[index] as string);
}

function rowsOf(data: DataConfig) {
  const rows = loadDataset(data, 0).sourceRows;
  if (!rows) throw new Error('no source rows');
  return rows;
}

describe('baseline families', () => {
  it('majority predicts the training class frequencies: its accuracy is the majority share of the validation rows', async () => {
    const config = study(
      { source: repoPath('datasets/breast_cancer_wisconsin.csv'), target: 'diagnosis', task: 'classification' },
      'val_accuracy',
      'maximize',
    );
    const labels = column('breast_cancer_wisconsin.csv', 'diagnosis');
    const rows = rowsOf(config.data!);
    const counts = new Map<string, number>();
    for (const r of rows.train) counts.set(labels[r] as string, (counts.get(labels[r] as string) ?? 0) + 1);
    const [majority, majorityCount] = [...counts].sort((a, b) => b[1] - a[1])[0] as [string, number];
    const share = rows.validation.filter((r) => labels[r] === majority).length / rows.validation.length;
    // Log loss of predicting the training frequencies for every validation row.
    const logLoss =
      -rows.validation.reduce((s, r) => s + Math.log((counts.get(labels[r] as string) as number) / rows.train.length), 0) /
      rows.validation.length;

    const outcome = await completed(task(config, { model: 'majority' }));
    expect(majorityCount).toBeGreaterThan(rows.train.length / 2);
    expect(outcome.steps).toEqual([1]);
    expect(outcome.value).toBeCloseTo(share, 6);
    expect(outcome.metrics.val_loss).toBeCloseTo(logLoss, 4);
  });

  it('logistic regression reaches 0.9 validation accuracy on iris in one closed-form step', async () => {
    const config = study({ source: repoPath('datasets/iris.csv'), target: 'species', task: 'classification' }, 'val_accuracy', 'maximize');
    const outcome = await completed(task(config, { model: 'logistic' }));
    expect(outcome.steps).toEqual([1]);
    expect(outcome.value).toBeGreaterThanOrEqual(0.9);
    expect(outcome.metrics.test_accuracy).toBeGreaterThanOrEqual(0.85);
    expect(outcome.metrics.epochs_trained).toBe(1);
  });

  it('mean predicts the training mean: its validation MSE is the spread of the validation targets around it', async () => {
    const config = study({ source: repoPath('datasets/diabetes.csv'), target: 'progression', task: 'regression' }, 'val_mse', 'minimize');
    const y = column('diabetes.csv', 'progression').map(Number);
    const rows = rowsOf(config.data!);
    const mean = rows.train.reduce((s, r) => s + (y[r] as number), 0) / rows.train.length;
    const mse = rows.validation.reduce((s, r) => s + ((y[r] as number) - mean) ** 2, 0) / rows.validation.length;

    const outcome = await completed(task(config, { model: 'mean' }));
    expect(outcome.value / mse).toBeCloseTo(1, 4);
  });

  it('ridge with alpha "auto" records the α leave-one-out chose and beats the mean', async () => {
    const config = study({ source: repoPath('datasets/diabetes.csv'), target: 'progression', task: 'regression' }, 'val_mse', 'minimize');
    const ridge = await completed(task(config, { model: 'ridge', alpha: 'auto' }));
    const mean = await completed(task(config, { model: 'mean' }));
    expect(RIDGE_ALPHAS).toContain(ridge.metrics.alpha);
    expect(ridge.value).toBeLessThan(mean.value * 0.7);
  });

  it('seasonal naive repeats the last observed year over the validation horizon: MAPE by hand', async () => {
    const data = {
      source: repoPath('datasets/air_passengers.csv'),
      target: 'passengers',
      task: 'regression',
      input: { kind: 'series', lookback: 12, horizon: 24 },
      // One validation window, the one the hand computation below scores.
      split: { backtests: 1 },
    };
    const values = column('air_passengers.csv', 'passengers').map(Number);
    const trainEnd = values.length - 48;
    let relative = 0;
    for (let t = trainEnd; t < trainEnd + 24; t++) {
      const lastSeason = values[trainEnd - 12 + ((t - trainEnd) % 12)] as number;
      relative += Math.abs(lastSeason - (values[t] as number)) / (values[t] as number);
    }
    const mape = (100 * relative) / 24;

    // The period detected from the training values' autocorrelation, and the same when it is given.
    const detected = await completed(task(study(data, 'val_mape', 'minimize'), { model: 'seasonalNaive' }));
    expect(detected.metrics.period).toBe(12);
    expect(detected.value).toBeCloseTo(mape, 3);
    const given = await completed(
      task(study({ ...data, input: { ...data.input, period: 12 } }, 'val_mape', 'minimize'), { model: 'seasonalNaive' }),
    );
    expect(given.value).toBeCloseTo(mape, 3);
    // A direct forecast (all 24 steps at once) repeats the same season, step by step.
    const direct = await completed(
      task(study({ ...data, input: { ...data.input, strategy: 'direct' } }, 'val_mape', 'minimize'), { model: 'seasonalNaive' }),
    );
    expect(direct.value).toBeCloseTo(mape, 3);
  });

  it('seasonal naive refuses a period longer than the lookback, naming both', async () => {
    const config = study(
      {
        source: repoPath('datasets/air_passengers.csv'),
        target: 'passengers',
        task: 'regression',
        input: { kind: 'series', lookback: 6, horizon: 24 },
      },
      'val_mape',
      'minimize',
    );
    const outcome = await trainTrial(task(config, { model: 'seasonalNaive', period: 12 }), recorder());
    expect(outcome).toMatchObject({ type: 'failed', reason: 'seasonalNaive: period 12 needs a lookback of at least 12 (lookback is 6)' });
  });
});
