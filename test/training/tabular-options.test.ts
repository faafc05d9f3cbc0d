import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitRobust, fitStandardizer } from '../../src/data/scaler.js';
import { prepareDataset, readCsv } from '../../src/data/index.js';
import { registerAutotuneLayers } from '../../src/models/attention.js';
import { buildModel } from '../../src/models/index.js';
import { estimateParameters } from '../../src/models/estimate.js';
import { Rng } from '../../src/core/rng.js';
import { parseStudy } from '../../src/space/index.js';
import { ensureBackend } from '../../src/training/backend.js';
import { readHyperparameters } from '../../src/training/hyperparameters.js';
import { lossFunction } from '../../src/training/losses.js';
import { fitModel } from '../../src/training/fit.js';
import { buildOptimizer } from '../../src/training/optimizers.js';
import type { TrainTask } from '../../src/training/protocol.js';
import { trainTrial } from '../../src/training/train-trial.js';
import { repoPath } from '../helpers/tmp.js';

beforeAll(() => ensureBackend('cpu'));

const SILENT = { report: async () => ({ stop: false }) };

function irisTask(params: TrainTask['params'], epochs = 30): TrainTask {
  const config = parseStudy({
    name: 't',
    data: { source: repoPath('datasets', 'iris.csv'), target: 'species', task: 'classification' },
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

describe('robust scaling', () => {
  it('centres on the median and scales by IQR / 1.349 of the airquality training rows, unmoved by an outlier', () => {
    const table = readCsv(repoPath('datasets/airquality.csv'));
    const column = table.columns.indexOf('wind');
    const wind = table.rows.map((row) => Number(row[column]));
    const values = Float64Array.from(wind);
    const rows = wind.map((_, i) => i);
    const sorted = [...wind].sort((a, b) => a - b);
    const at = (q: number) => {
      const i = (sorted.length - 1) * q;
      const lo = Math.floor(i);
      return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (i - lo);
    };
    const robust = fitRobust(values, 1, rows);
    expect(robust.mean[0]).toBeCloseTo(at(0.5), 10);
    expect(robust.std[0]).toBeCloseTo((at(0.75) - at(0.25)) / 1.349, 10);

    const withOutlier = Float64Array.from([...wind, 1e6]);
    const moved = fitRobust(withOutlier, 1, [...rows, wind.length]);
    expect(Math.abs(moved.std[0]! - robust.std[0]!) / robust.std[0]!).toBeLessThan(0.15);
    expect(fitStandardizer(withOutlier, 1, [...rows, wind.length]).std[0]).toBeGreaterThan(1000 * robust.std[0]!);
  });

  it('falls back to the standard deviation for a column whose quartiles meet', () => {
    const values = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 1]);
    const rows = Array.from({ length: 8 }, (_, i) => i);
    expect(fitRobust(values, 1, rows).std[0]).toBeCloseTo(fitStandardizer(values, 1, rows).std[0]!, 12);
  });
});

describe('label smoothing', () => {
  it('is cross-entropy against (1 − ε)·one-hot + ε/k', () => {
    const y = tf.tensor2d([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const p = tf.tensor2d([
      [0.7, 0.2, 0.1],
      [0.1, 0.3, 0.6],
    ]);
    const eps = 0.1;
    const target = [
      [1 - eps + eps / 3, eps / 3, eps / 3],
      [eps / 3, eps / 3, 1 - eps + eps / 3],
    ];
    const probabilities = p.arraySync();
    const expected =
      target.map((row, i) => -row.reduce((s, t, j) => s + t * Math.log(probabilities[i]![j]!), 0)).reduce((a, b) => a + b, 0) / 2;
    const smoothed = lossFunction(tf, 'auto', 'classification', { labelSmoothing: eps })(y, p);
    const plain = lossFunction(tf, 'auto', 'classification')(y, p);
    expect(smoothed.dataSync()[0]).toBeCloseTo(expected, 5);
    expect(smoothed.dataSync()[0]).toBeGreaterThan(plain.dataSync()[0]!);
    tf.dispose([y, p, smoothed, plain]);
  });

  it('leaves a regression loss as it is', () => {
    const y = tf.tensor2d([[1], [2]]);
    const p = tf.tensor2d([[1.5], [1]]);
    const a = lossFunction(tf, 'auto', 'regression', { labelSmoothing: 0.2 })(y, p).dataSync()[0];
    const b = lossFunction(tf, 'auto', 'regression')(y, p).dataSync()[0];
    expect(a).toBe(b);
    tf.dispose([y, p]);
  });
});

describe('decoupled weight decay', () => {
  it('leaves the kernels of an iris MLP smaller than the same fit without it, and still learns', async () => {
    const task = irisTask({});
    const dataset = prepareDataset(readCsv(task.data.source), task.data, 0);
    const fitWith = async (weightDecay: number) => {
      const { model: spec, fit } = readHyperparameters({ layers: 1, units: 16, learningRate: 0.05, batchSize: 16, weightDecay }, 15);
      const model = buildModel(
        tf,
        spec,
        { shape: [...dataset.inputShape], vocabularySize: 0 },
        { kind: 'classes', classes: 3 },
        new Rng(3),
      );
      const optimizer = buildOptimizer(tf, fit);
      const result = await fitModel(tf, model, optimizer, dataset, { fit, objective: task.objective, rng: new Rng(4), reporter: SILENT });
      const kernels = model.trainableWeights.filter((w) => w.name.includes('kernel'));
      const squares = kernels.reduce((sum, w) => sum + (w.read().square().sum().dataSync()[0] as number), 0);
      model.dispose();
      return { accuracy: result.bestMetrics.val_accuracy as number, squares };
    };
    const plain = await fitWith(0);
    const decayed = await fitWith(0.5);
    expect(decayed.squares).toBeLessThan(0.8 * plain.squares);
    expect(decayed.accuracy).toBeGreaterThan(0.85);
  });
});

describe('periodic numeric embedding', () => {
  const spec = readHyperparameters({ layers: 1, units: 16, numericEmbedding: 'periodic', embeddingScale: 0.5 }, 10).model;

  it('has the parameters the estimate counts, and reloads from its saved form with the same predictions', async () => {
    const model = buildModel(tf, spec, { shape: [4], vocabularySize: 0 }, { kind: 'classes', classes: 3 }, new Rng(1));
    expect(model.countParams()).toBe(estimateParameters(spec, { shape: [4], vocabularySize: 0 }, { kind: 'classes', classes: 3 }));
    const x = tf.tensor2d([
      [0.1, -1, 2, 0.5],
      [1, 1, -0.3, 0],
    ]);
    const before = (model.predict(x) as tf.Tensor).arraySync();
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(
        async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }),
      ),
    );
    registerAutotuneLayers(tf);
    const reloaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    expect((reloaded.predict(x) as tf.Tensor).arraySync()).toEqual(before);
    tf.dispose([x]);
    model.dispose();
    reloaded.dispose();
  });

  it('trains an iris MLP to at least 0.9 validation accuracy', async () => {
    const params = { layers: 1, units: 16, learningRate: 0.01, batchSize: 16 };
    const embedded = await trainTrial(irisTask({ ...params, numericEmbedding: 'periodic', embeddingScale: 0.5 }), SILENT);
    if (embedded.type !== 'complete') throw new Error(`embedded trial ${embedded.type}`);
    expect(embedded.value).toBeGreaterThanOrEqual(0.9);
  });
});
