import { describe, expect, it } from 'vitest';
import type { Metrics, Params } from '../../src/core/types.js';
import { autotune } from '../../src/index.js';
import { parseStudy } from '../../src/space/index.js';
import type { Reporter, TrainTask } from '../../src/training/protocol.js';
import { trainTrial } from '../../src/training/train-trial.js';
import { repoPath } from '../helpers/tmp.js';

const digits = {
  source: repoPath('datasets/digits.csv'),
  target: 'label',
  task: 'classification' as const,
  input: { kind: 'image' as const, shape: [8, 8, 1] as [number, number, number] },
};

function imageTask(params: TrainTask['params'], epochs: number): TrainTask {
  const config = parseStudy({
    name: 'a',
    data: digits,
    objective: { metric: 'val_accuracy', direction: 'maximize' },
    training: { epochs },
    space: { loss: 'auto' },
  });
  return {
    kind: 'train',
    trialNumber: 0,
    seed: 7,
    params,
    data: config.data!,
    dataSeed: 0,
    training: config.training,
    objective: config.objective,
  };
}

const quiet: Reporter & { steps: Metrics[] } = { steps: [], report: async (_s, m) => (quiet.steps.push(m), { stop: false }) };

describe('architectures on 8×8 digit images', () => {
  it('a CNN (conv blocks, batch norm, pooling, dense head) trained with SGD learns digits', async () => {
    const outcome = await trainTrial(
      imageTask(
        {
          model: { type: 'cnn', blocks: 2, filters: 16, batchNorm: true, pooling: 'max', dense: 64 },
          optimizer: { type: 'sgd', momentum: 0.9 },
          learningRate: 0.05,
          batchSize: 32,
        },
        8,
      ),
      quiet,
    );
    expect(outcome).toMatchObject({ type: 'complete' });
    if (outcome.type === 'complete') {
      expect(outcome.value).toBeGreaterThanOrEqual(0.95);
      expect(outcome.metrics.test_accuracy).toBeGreaterThanOrEqual(0.93);
    }
  });

  it('an RNN reads an image row by row (LSTM, GRU, bidirectional)', async () => {
    const models: Params[] = [
      { type: 'rnn', cell: 'lstm', units: 32 },
      { type: 'rnn', cell: 'gru', units: 16, bidirectional: true, layers: 2 },
    ];
    for (const model of models) {
      const outcome = await trainTrial(imageTask({ model, learningRate: 0.01, batchSize: 64 }, 6), quiet);
      expect(outcome.type).toBe('complete');
      if (outcome.type === 'complete') expect(outcome.value).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('refuses an image shape that does not match the pixel columns, naming the path', async () => {
    const outcome = await trainTrial(
      { ...imageTask({}, 1), data: { ...imageTask({}, 1).data, input: { kind: 'image', shape: [7, 8, 1] } } },
      quiet,
    );
    expect(outcome).toMatchObject({
      type: 'failed',
      reason: expect.stringContaining('data.input.shape: 7×8×1 = 56 pixels, but there are 64 feature columns'),
    });
  });
});

describe('architecture search as one conditional choice', () => {
  it('finds the CNN branch better than the MLP branch on digit images', async () => {
    const result = await autotune({
      name: 'mlp-vs-cnn',
      data: digits,
      metric: 'val_loss',
      direction: 'minimize',
      sampler: { type: 'tpe', startupTrials: 6 },
      training: { epochs: 10 },
      trials: 16,
      parallelism: 2,
      seed: 11,
      space: {
        model: {
          choice: {
            mlp: { layers: { int: [1, 3] }, units: { int: [32, 256], log: true } },
            cnn: { blocks: 2, filters: { choice: [16, 32] }, dense: 128 },
          },
        },
        optimizer: 'adam',
        learningRate: { float: [1e-3, 1e-2], log: true },
        batchSize: 32,
      },
    });
    const bestOf = (type: string) =>
      Math.min(...result.trials.filter((t) => t.params.model === type && t.state === 'complete').map((t) => t.values?.[0] as number));
    expect(result.best.params.model).toMatchObject({ type: 'cnn' });
    expect(bestOf('cnn')).toBeLessThan(bestOf('mlp'));
  });
});
