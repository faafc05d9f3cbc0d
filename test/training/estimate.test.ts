import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { buildModel, type ModelSpec } from '../../src/models/index.js';
import { estimateParameters } from '../../src/models/estimate.js';
import { ensureBackend } from '../../src/training/backend.js';
import { parseStudy } from '../../src/space/index.js';
import { trainTrial } from '../../src/training/train-trial.js';
import { repoPath } from '../helpers/tmp.js';

const common = { activation: 'relu', dropout: 0.1, l2: 0 } as const;
const noEmbedding = { numericEmbedding: 'none', embeddingScale: 0.1 } as const;
const plainMlp = { batchNorm: false, residual: false, ...noEmbedding } as const;
const plainCnn = { stride: 1, residual: false, head: 'flatten' } as const;
const specs: [string, ModelSpec, number[], number?][] = [
  ['mlp', { type: 'mlp', layers: 2, units: 37, ...plainMlp, ...common }, [13]],
  [
    'mlp, residual with batch norm',
    { type: 'mlp', layers: 3, units: 16, batchNorm: true, residual: true, ...noEmbedding, ...common },
    [13],
  ],
  ['mlp with a periodic embedding', { type: 'mlp', layers: 1, units: 8, ...plainMlp, numericEmbedding: 'periodic', ...common }, [6]],
  ['mlp on an image', { type: 'mlp', layers: 1, units: 20, ...plainMlp, ...common }, [8, 8, 1]],
  ['linear', { type: 'mlp', layers: 0, units: 1, ...plainMlp, ...common }, [30]],
  [
    'cnn with batch norm',
    { type: 'cnn', blocks: 2, filters: 8, kernelSize: 3, pooling: 'max', batchNorm: true, dense: 32, ...plainCnn, ...common },
    [28, 28, 1],
  ],
  [
    'cnn, residual, strided, global pooling',
    {
      type: 'cnn',
      blocks: 3,
      filters: 4,
      kernelSize: 3,
      pooling: 'max',
      batchNorm: true,
      dense: 0,
      stride: 2,
      residual: true,
      head: 'globalAverage',
      ...common,
    },
    [28, 28, 1],
  ],
  [
    'cnn without pooling or dense',
    { type: 'cnn', blocks: 1, filters: 4, kernelSize: 5, pooling: 'none', batchNorm: false, dense: 0, ...plainCnn, ...common },
    [8, 8, 3],
  ],
  ['lstm, stacked', { type: 'rnn', cell: 'lstm', units: 16, layers: 2, bidirectional: false, embedDim: 8, dropout: 0, l2: 0 }, [8, 8, 1]],
  ['gru, bidirectional', { type: 'rnn', cell: 'gru', units: 12, layers: 1, bidirectional: true, embedDim: 8, dropout: 0, l2: 0 }, [10, 4]],
  ['simple rnn', { type: 'rnn', cell: 'simple', units: 9, layers: 1, bidirectional: false, embedDim: 8, dropout: 0, l2: 0 }, [6, 5]],
  [
    'lstm over token ids',
    { type: 'rnn', cell: 'lstm', units: 16, layers: 1, bidirectional: true, embedDim: 12, dropout: 0, l2: 0 },
    [20],
    300,
  ],
  ['transformer', { type: 'transformer', embedDim: 16, heads: 4, blocks: 2, ffUnits: 24, dropout: 0.1, l2: 0 }, [20], 300],
];

describe('parameter estimate before building', () => {
  it.each(specs)('%s: equals the built model’s trainable parameter count', async (_name, spec, shape, vocabularySize = 0) => {
    await ensureBackend('cpu');
    const input = { shape, vocabularySize };
    const model = buildModel(tf, spec, input, { kind: 'classes', classes: 10 }, new Rng(1));
    const trainable = model.trainableWeights.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b as number), 1), 0);
    expect(estimateParameters(spec, input, { kind: 'classes', classes: 10 })).toBe(trainable);
    model.dispose();
  });

  it('fails a trial over training.maxParameters with that reason, without building it', async () => {
    const config = parseStudy({
      name: 'big',
      data: { source: repoPath('datasets/iris.csv'), target: 'species', task: 'classification' },
      objective: { metric: 'val_loss', direction: 'minimize' },
      training: { epochs: 1, maxParameters: 1000 },
      space: { loss: 'auto' },
    });
    const before = tf.memory().numTensors;
    const outcome = await trainTrial(
      {
        kind: 'train',
        trialNumber: 0,
        seed: 1,
        params: { layers: 2, units: 64 },
        data: config.data!,
        dataSeed: 0,
        training: config.training,
        objective: config.objective,
      },
      { report: async () => ({ stop: false }) },
    );
    expect(outcome).toMatchObject({ type: 'failed', reason: 'the model would have 4675 parameters, over training.maxParameters = 1000' });
    expect(tf.memory().numTensors).toBe(before);
  });
});
