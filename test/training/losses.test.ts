import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareDataset, readCsv } from '../../src/data/index.js';
import { parseStudy } from '../../src/space/index.js';
import { ensureBackend } from '../../src/training/backend.js';
import { balancedClassWeights } from '../../src/training/class-weights.js';
import { lossFunction } from '../../src/training/losses.js';
import { repoPath } from '../helpers/tmp.js';

beforeAll(() => ensureBackend('cpu'));

const value = (t: tf.Tensor) => {
  const v = t.dataSync()[0] as number;
  t.dispose();
  return v;
};

describe('balanced class weights', () => {
  it('weighs each penguin class n / (k · n_c) over the training split only', () => {
    const config = parseStudy({
      name: 'p',
      data: { source: 'x', target: 'species', task: 'classification' },
      objective: { direction: 'minimize' },
      space: { loss: 'auto' },
    });
    const prepared = prepareDataset(readCsv(repoPath('datasets/penguins.csv')), config.data!, 0);
    const y = prepared.train.y;
    const counts = [0, 1, 2].map((c) => y.filter((v) => v === c).length);
    const weights = balancedClassWeights(y, 3);
    expect(weights).toHaveLength(3);
    counts.forEach((n, c) => expect(weights[c]).toBeCloseTo(y.length / (3 * n), 12));
    // Adelie, Chinstrap, Gentoo: 152, 68, 124 in the whole file; the split is stratified, so Chinstrap weighs most.
    expect(weights[1]).toBeGreaterThan(1.5);
    expect(weights[0]).toBeLessThan(1);
    // Every class contributes the same total weight n / k.
    counts.forEach((n, c) => expect(n * weights[c]!).toBeCloseTo(y.length / 3, 9));
  });

  it('gives a class absent from the training rows weight 0 and counts only present classes in k', () => {
    expect(balancedClassWeights(Float32Array.from([0, 0, 0, 2]), 3)).toEqual([4 / 6, 0, 2]);
  });
});

describe('the training loss', () => {
  const yTrue = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [0, 1, 0],
  ];
  const yPred = [
    [0.7, 0.2, 0.1],
    [0.3, 0.4, 0.3],
    [0.25, 0.25, 0.5],
    [0.1, 0.8, 0.1],
  ];

  it('weighs each example’s cross-entropy by its class weight, averaged over the batch (by hand)', () => {
    const weights = [0.5, 2, 1.25];
    const expected = (0.5 * -Math.log(0.7) + 2 * -Math.log(0.4) + 1.25 * -Math.log(0.5) + 2 * -Math.log(0.8)) / 4;
    const loss = lossFunction(tf, 'crossentropy', 'classification', { classWeights: weights });
    expect(value(tf.tidy(() => loss(tf.tensor2d(yTrue), tf.tensor2d(yPred))))).toBeCloseTo(expected, 5);
    const unweighted = (-Math.log(0.7) - Math.log(0.4) - Math.log(0.5) - Math.log(0.8)) / 4;
    expect(value(tf.tidy(() => lossFunction(tf, 'auto', 'classification')(tf.tensor2d(yTrue), tf.tensor2d(yPred))))).toBeCloseTo(
      unweighted,
      5,
    );
  });

  it('weighs the elementwise losses per example too (MSE by hand)', () => {
    const weights = [1, 3, 0];
    const mse = yTrue.map((row, i) => row.reduce((s, v, k) => s + (v - yPred[i]![k]!) ** 2, 0) / 3);
    const expected = (1 * mse[0]! + 3 * mse[1]! + 0 * mse[2]! + 3 * mse[3]!) / 4;
    const loss = lossFunction(tf, 'mse', 'classification', { classWeights: weights });
    expect(value(tf.tidy(() => loss(tf.tensor2d(yTrue), tf.tensor2d(yPred))))).toBeCloseTo(expected, 6);
  });

  it('matches TensorFlow.js’s own MSE, MAE and Huber losses when unweighted', () => {
    const y = tf.tensor2d([[0.5], [-1.2], [3], [0]]);
    const p = tf.tensor2d([[0.1], [0.4], [0.2], [-2.5]]);
    expect(value(lossFunction(tf, 'mse', 'regression')(y, p))).toBeCloseTo(value(tf.losses.meanSquaredError(y, p)), 6);
    expect(value(lossFunction(tf, 'mae', 'regression')(y, p))).toBeCloseTo(value(tf.losses.absoluteDifference(y, p)), 6);
    expect(value(lossFunction(tf, 'huber', 'regression')(y, p))).toBeCloseTo(value(tf.losses.huberLoss(y, p)), 6);
    tf.dispose([y, p]);
  });

  it('refuses custom without a module, and class weights on a custom loss', () => {
    expect(() => lossFunction(tf, 'custom', 'classification')).toThrow('loss "custom" needs training.lossModule in the study file');
    const custom = (a: tf.Tensor, b: tf.Tensor) => a.sub(b).square().mean() as tf.Scalar;
    expect(() => lossFunction(tf, 'custom', 'classification', { custom, classWeights: [1, 1] })).toThrow(
      /classWeights cannot weight a custom loss/,
    );
    expect(lossFunction(tf, 'custom', 'regression', { custom })).toBe(custom);
  });
});
