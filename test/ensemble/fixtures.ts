// Candidate sets built once per test file from real datasets and real (plain-JS) models, all seeded.
import type { Candidate, EnsembleProblem } from '../../src/ensemble/index.js';
import {
  candidatesFrom,
  featureSubset,
  gaussianNaiveBayes,
  knnClassifier,
  knnRegressor,
  loadPrepared,
  ridgeRegressor,
  Rng,
  softmaxRegression,
  targetsInUnits,
} from './models.js';

export interface RealCase {
  readonly candidates: Candidate[];
  readonly problem: Omit<EnsembleProblem, 'metric' | 'direction'>;
  readonly testTargets: Float32Array;
}

/** Breast cancer (binary, 30 features): three softmax regressions, two k-NN, naive Bayes. */
export function breastCancer(): RealCase {
  const dataset = loadPrepared('breast_cancer_wisconsin.csv', 'diagnosis', 'classification', 7);
  const rng = new Rng(7).fork('subsets');
  const all = dataset.nFeatures;
  const candidates = candidatesFrom(dataset, [
    softmaxRegression(dataset, 2, { l2: 0.001, columns: featureSubset(all, 1, rng), steps: 150, rate: 0.5 }),
    softmaxRegression(dataset, 2, { l2: 0.3, columns: featureSubset(all, 0.5, rng), steps: 150, rate: 0.5 }),
    softmaxRegression(dataset, 2, { l2: 0.05, columns: featureSubset(all, 0.2, rng), steps: 150, rate: 0.5 }),
    knnClassifier(dataset, 2, 3),
    knnClassifier(dataset, 2, 15),
    gaussianNaiveBayes(dataset, 2),
  ]);
  return { candidates, problem: { task: 'classification', classes: 2, targets: dataset.validation.y }, testTargets: dataset.test.y };
}

/** Digits (10 classes, 64 pixels): softmax regressions on pixel subsets, k-NN, naive Bayes. */
export function digits(): RealCase {
  const dataset = loadPrepared('digits.csv', 'label', 'classification', 3);
  const rng = new Rng(3).fork('subsets');
  const all = dataset.nFeatures;
  const candidates = candidatesFrom(dataset, [
    softmaxRegression(dataset, 10, { l2: 0.01, columns: featureSubset(all, 1, rng), steps: 60, rate: 0.5 }),
    softmaxRegression(dataset, 10, { l2: 0.001, columns: featureSubset(all, 0.4, rng), steps: 60, rate: 0.5 }),
    softmaxRegression(dataset, 10, { l2: 0.1, columns: featureSubset(all, 0.25, rng), steps: 60, rate: 0.5 }),
    knnClassifier(dataset, 10, 1),
    knnClassifier(dataset, 10, 9),
    gaussianNaiveBayes(dataset, 10),
  ]);
  return { candidates, problem: { task: 'classification', classes: 10, targets: dataset.validation.y }, testTargets: dataset.test.y };
}

/** Diabetes progression (regression, target units): ridge on feature subsets and k-NN. */
export function diabetes(): RealCase {
  const dataset = loadPrepared('diabetes.csv', 'progression', 'regression', 11);
  const rng = new Rng(11).fork('subsets');
  const all = dataset.nFeatures;
  const candidates = candidatesFrom(dataset, [
    ridgeRegressor(dataset, featureSubset(all, 1, rng), 1),
    ridgeRegressor(dataset, featureSubset(all, 0.5, rng), 10),
    ridgeRegressor(dataset, featureSubset(all, 0.3, rng), 0.1),
    knnRegressor(dataset, 5),
    knnRegressor(dataset, 20),
  ]);
  return {
    candidates,
    problem: { task: 'regression', classes: 1, targets: targetsInUnits(dataset, dataset.validation) },
    testTargets: targetsInUnits(dataset, dataset.test),
  };
}
