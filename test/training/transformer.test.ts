import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { loadDataset } from '../../src/data/cache.js';
import { dataForTrial } from '../../src/data/overrides.js';
import { idCount } from '../../src/data/tokens.js';
import { buildTransformer, type TransformerSpec } from '../../src/models/index.js';
import { parseStudy } from '../../src/space/index.js';
import { ensureBackend } from '../../src/training/backend.js';
import { trainTrial } from '../../src/training/train-trial.js';
import type { TrialOutcome } from '../../src/training/protocol.js';
import { repoPath } from '../helpers/tmp.js';

const spec: TransformerSpec = { type: 'transformer', embedDim: 16, heads: 4, blocks: 2, ffUnits: 32, dropout: 0.1, l2: 1e-4 };

function spamStudy(space: Record<string, unknown>, epochs = 3) {
  return parseStudy({
    name: 'spam-tokens',
    data: {
      source: repoPath('datasets/spam_assassin.jsonl'),
      target: 'label',
      task: 'classification',
      features: ['text'],
      input: { kind: 'text', maxVocabulary: 3000, sequenceLength: 48 },
    },
    objective: { metric: 'val_accuracy', direction: 'maximize' },
    search: { sampler: 'random', trials: 1, seed: 5 },
    training: { epochs },
    space,
  });
}

/** Spam token ids for a handful of messages, as the prepared dataset holds them. */
function spamIds(rows: number): { ids: tf.Tensor2D; vocabularySize: number; steps: number } {
  const config = spamStudy({ model: 'transformer' });
  const dataset = loadDataset(dataForTrial(config.data!, {}, 'transformer'), 1);
  const steps = dataset.inputShape[0] as number;
  return {
    ids: tf.tensor2d(dataset.validation.x.subarray(0, rows * steps), [rows, steps]),
    vocabularySize: idCount(dataset.tokenizer!),
    steps,
  };
}

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  // Through JSON text, as model.json would be: the topology names our custom layers by class name.
  const topology = JSON.parse(JSON.stringify(saved!.modelTopology));
  return tf.loadLayersModel(tf.io.fromMemory({ ...saved!, modelTopology: topology }));
}

describe('Transformer encoder over token ids', () => {
  it('serializes its custom attention layers and reloads with identical predictions', async () => {
    await ensureBackend('cpu');
    const { ids, vocabularySize, steps } = spamIds(8);
    const model = buildTransformer(tf, spec, steps, vocabularySize, { kind: 'classes', classes: 2 }, new Rng(3));
    const reloaded = await roundTrip(model);
    const classNames = reloaded.layers.map((l) => l.getClassName());
    expect(classNames).toEqual(
      expect.arrayContaining(['AutotuneTokenAndPositionEmbedding', 'AutotuneTransformerEncoderBlock', 'AutotuneMaskedAveragePooling']),
    );
    const before = (model.predict(ids) as tf.Tensor).arraySync() as number[][];
    const after = (reloaded.predict(ids) as tf.Tensor).arraySync() as number[][];
    expect(after).toEqual(before);
    expect(before[0]![0]! + before[0]![1]!).toBeCloseTo(1, 5);
    tf.dispose([ids, model, reloaded] as unknown as tf.Tensor[]);
  });

  it('ignores padding: what sits at padded positions does not change a prediction', async () => {
    await ensureBackend('cpu');
    const { vocabularySize } = spamIds(1);
    const steps = 12;
    const model = buildTransformer(tf, { ...spec, dropout: 0 }, steps, vocabularySize, { kind: 'classes', classes: 2 }, new Rng(4));
    const short = tf.tensor2d([[5, 9, 17, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
    const before = (model.predict(short) as tf.Tensor).dataSync().slice();
    // Padded positions see their own (large, random) position embeddings; a missing mask would let them leak in.
    const embedding = model.layers.find((l) => l.getClassName() === 'AutotuneTokenAndPositionEmbedding')!;
    const [tokens, positions] = embedding.getWeights();
    const noisy = positions!.arraySync() as number[][];
    for (let p = 3; p < steps; p++) noisy[p] = noisy[p]!.map((_, i) => 10 * Math.sin(p * 7 + i));
    embedding.setWeights([tokens!, tf.tensor2d(noisy)]);
    const after = (model.predict(short) as tf.Tensor).dataSync();
    for (let i = 0; i < 2; i++) expect(after[i]).toBeCloseTo(before[i]!, 5);
    // A change at a real position does change it, so the comparison above can fail.
    noisy[1] = noisy[1]!.map((_, i) => 10 * Math.cos(i));
    embedding.setWeights([tokens!, tf.tensor2d(noisy)]);
    expect(Math.abs((model.predict(short) as tf.Tensor).dataSync()[0]! - before[0]!)).toBeGreaterThan(1e-4);
  });

  it('learns spam from token ids with Adam, with the sequence length searched as a trial parameter', async () => {
    const config = spamStudy({ learningRate: 0.003 }, 3);
    const task = {
      kind: 'train' as const,
      trialNumber: 0,
      seed: 11,
      params: {
        model: { type: 'transformer', embedDim: 16, heads: 2, blocks: 1, ffUnits: 32, sequenceLength: 40 },
        optimizer: 'adam',
        learningRate: 0.003,
        batchSize: 32,
        tokenDropout: 0.1,
      },
      data: config.data!,
      dataSeed: 1,
      training: config.training,
      objective: config.objective,
    };
    const outcome: TrialOutcome = await trainTrial(task, { report: async () => ({ stop: false }) });
    expect(outcome.type, outcome.type === 'failed' ? outcome.reason : '').toBe('complete');
    if (outcome.type !== 'complete') return;
    // 31 % of messages are spam: always answering "ham" scores 0.69.
    expect(outcome.metrics.val_accuracy).toBeGreaterThan(0.85);
    expect(outcome.metrics.test_accuracy).toBeGreaterThan(0.85);
    // The searched maxVocabulary is not set, so the study's 3,000 words (plus padding and unknown) are embedded.
    expect(outcome.metrics.parameters).toBeGreaterThan(3000 * 16);
  });
});
