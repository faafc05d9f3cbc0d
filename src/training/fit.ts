import type * as tfTypes from '@tensorflow/tfjs';
import { TrialFailedError } from '../core/errors.js';
import { isBetter } from '../core/rank.js';
import type { Rng } from '../core/rng.js';
import type { Metrics } from '../core/types.js';
import { augmentBatch, augments, type Augmentation } from '../data/augment.js';
import type { PreparedDataset, SplitData } from '../data/prepared-dataset.js';
import type { FitSpec } from './hyperparameters.js';
import { diagnose } from './diagnostics.js';
import { balancedClassWeights } from './class-weights.js';
import { lossFunction, type LossFn } from './losses.js';
import { classificationMetrics, prefixed, regressionMetrics } from './metrics.js';
import type { Reporter } from './protocol.js';
import { learningRateAt, setLearningRate } from './schedule.js';
import { checkTimeLimit, type TimeLimit } from './time-limit.js';

/** The result of a fit: the best epoch's metrics, whether it stopped early, and what went wrong. */
export interface FitResult {
  readonly bestEpoch: number;
  readonly bestMetrics: Metrics;
  readonly epochsTrained: number;
  /** The epoch at which the scheduler stopped the trial (pruned), or null. */
  readonly stoppedAtEpoch: number | null;
  /** The epoch at which patience ran out (the trial still completes), or null. */
  readonly patienceStopAt: number | null;
  readonly diagnoses: readonly string[];
}

export interface FitOptions {
  readonly fit: FitSpec;
  readonly objective: { readonly metric: string; readonly direction: 'minimize' | 'maximize' };
  readonly rng: Rng;
  readonly reporter: Reporter;
  /** The study's loss module, for the loss `custom`. */
  readonly customLoss?: LossFn;
  /** `search.trialTimeoutSeconds`: checked before every batch and before every report. */
  readonly timeLimit?: TimeLimit;
}

/**
 * Trains epoch by epoch with our own batch loop (rather than `model.fit`), which is what gives every epoch its
 * learning rate (schedules, warm-up) and global gradient norm, and every step its clipping and L1 penalty.
 * Shuffles with the trial's seeded stream, reports every epoch's metrics, stops when the scheduler says so or
 * when patience runs out, fails on a non-finite loss or gradient or past its time limit, and leaves the model
 * holding the weights of its best epoch by the objective metric.
 */
export async function fitModel(
  tf: typeof tfTypes,
  model: tfTypes.LayersModel,
  optimizer: tfTypes.Optimizer,
  dataset: PreparedDataset,
  options: FitOptions,
): Promise<FitResult> {
  const { fit } = options;
  const order = Array.from({ length: dataset.train.rows }, (_, i) => i);
  const lossOf = trainingLoss(tf, fit, dataset, options.customLoss);
  const history: Metrics[] = [];
  let best: { epoch: number; metrics: Metrics; weights: tfTypes.Tensor[] } | null = null;
  let epoch = 0;
  let stoppedAtEpoch: number | null = null;
  let patienceStopAt: number | null = null;
  try {
    for (epoch = 1; epoch <= fit.epochs; epoch++) {
      const learningRate = learningRateAt(epoch, fit.learningRate, fit.schedule, fit.epochs, fit.warmupEpochs);
      setLearningRate(optimizer, learningRate);
      options.rng.shuffle(order);
      options.reporter.epoch?.(epoch, fit.epochs);
      const progress = { epoch, epochs: fit.epochs };
      const checkTime = () => checkTimeLimit(options.timeLimit, progress);
      const epochStarted = performance.now();
      const step = { optimizer, lossOf, decay: learningRate * fit.weightDecay };
      const trainMetrics = trainOneEpoch(tf, model, step, dataset, order, fit, options.rng, checkTime);
      // Throughput of the training pass alone, so a slow configuration (or backend) shows in every epoch's report.
      const samplesPerSecond = order.length / Math.max(1e-9, (performance.now() - epochStarted) / 1000);
      if (!Number.isFinite(trainMetrics.loss)) throw new TrialFailedError(`training loss became ${trainMetrics.loss} at epoch ${epoch}`);
      if (!Number.isFinite(trainMetrics.grad_norm)) {
        throw new TrialFailedError(`exploding gradients: the gradient norm became ${trainMetrics.grad_norm} at epoch ${epoch}`);
      }
      const metrics: Metrics = {
        ...trainMetrics,
        ...prefixed('val_', evaluate(tf, model, dataset, dataset.validation)),
        learning_rate: learningRate,
        samples_per_second: samplesPerSecond,
      };
      // Validating a series forecasts recursively, row by row: it can take as long as the training pass.
      checkTime();
      history.push(metrics);
      const value = objectiveOf(metrics, options.objective.metric);
      if (!best || isBetter(options.objective.direction, value, best.metrics[options.objective.metric] as number)) {
        for (const w of best?.weights ?? []) w.dispose();
        best = { epoch, metrics, weights: model.getWeights().map((w) => w.clone()) };
      }
      const decision = await options.reporter.report(epoch, metrics);
      if (decision.stop) {
        stoppedAtEpoch = epoch;
        break;
      }
      if (fit.patience !== null && epoch - best.epoch >= fit.patience) {
        patienceStopAt = epoch;
        break;
      }
    }
    if (!best) throw new TrialFailedError('no epoch was trained');
    model.setWeights(best.weights);
    const diagnoses = diagnose(history, { classification: dataset.task === 'classification', majorityShare: majorityShare(dataset) });
    if (patienceStopAt !== null) diagnoses.push(`early stopping: no improvement for ${fit.patience} epochs after epoch ${best.epoch}`);
    return { bestEpoch: best.epoch, bestMetrics: best.metrics, epochsTrained: history.length, stoppedAtEpoch, patienceStopAt, diagnoses };
  } finally {
    for (const w of best?.weights ?? []) w.dispose();
  }
}

/** The loss the training batches minimize; class weights come from the training split only. */
function trainingLoss(tf: typeof tfTypes, fit: FitSpec, dataset: PreparedDataset, custom: LossFn | undefined): LossFn {
  const labelSmoothing = fit.labelSmoothing;
  if (!fit.classWeights) return lossFunction(tf, fit.loss, dataset.task, { custom, labelSmoothing });
  if (dataset.task !== 'classification') throw new TrialFailedError('classWeights weighs classes: it needs a classification task');
  const classWeights = balancedClassWeights(dataset.train.y, dataset.labels.length);
  return lossFunction(tf, fit.loss, dataset.task, { custom, labelSmoothing, classWeights });
}

/** Share of the most frequent class in the training split (the accuracy of always guessing it). */
function majorityShare(dataset: PreparedDataset): number {
  if (dataset.task !== 'classification') return 0;
  const counts = new Array<number>(dataset.labels.length).fill(0);
  for (const y of dataset.train.y) counts[y]!++;
  return counts.reduce((m, c) => Math.max(m, c), 0) / Math.max(1, dataset.train.rows);
}

/** One pass over the shuffled training rows; returns the mean loss, accuracy and the mean global gradient norm. */
function trainOneEpoch(
  tf: typeof tfTypes,
  model: tfTypes.LayersModel,
  step: { readonly optimizer: tfTypes.Optimizer; readonly lossOf: LossFn; readonly decay: number },
  dataset: PreparedDataset,
  order: readonly number[],
  fit: FitSpec,
  rng: Rng,
  checkTime: () => void,
): Record<string, number> {
  const { optimizer, lossOf } = step;
  const batchSize = fit.batchSize === 'full' ? order.length : fit.batchSize;
  const variables = model.trainableWeights.map((w) => w.read() as tfTypes.Variable);
  const kernels = variables.filter((v) => v.name.includes('kernel'));
  let lossSum: tfTypes.Tensor = tf.scalar(0);
  let normSum: tfTypes.Tensor = tf.scalar(0);
  let correctSum: tfTypes.Tensor = tf.scalar(0);
  let batches = 0;
  try {
    for (let start = 0; start < order.length; start += batchSize) {
      // Between batches: a batch is a chain of synchronous kernels that nothing in this thread can interrupt.
      checkTime();
      const rows = order.slice(start, start + batchSize);
      const { xs, ys } = batchTensors(tf, dataset, rows, fit.augment, rng);
      let correct: tfTypes.Tensor | null = null;
      // The batch's inputs go whatever happens: a custom loss that throws must not leak them into a reused thread.
      try {
        const { value, grads } = tf.variableGrads(() => {
          const prediction = model.apply(xs, { training: true }) as tfTypes.Tensor;
          if (dataset.task === 'classification') correct = tf.keep(tf.equal(prediction.argMax(-1), ys.argMax(-1)).sum());
          let loss = lossOf(ys, prediction);
          for (const penalty of model.calculateLosses()) loss = loss.add(penalty);
          if (fit.l1 > 0) for (const k of kernels) loss = loss.add(k.abs().sum().mul(fit.l1));
          return loss as tfTypes.Scalar;
        }, variables);
        const { clipped, norm } = clipGradients(tf, grads, fit);
        optimizer.applyGradients(clipped);
        if (step.decay > 0) decayKernels(tf, kernels, step.decay);
        const next = tf.tidy(() => ({
          loss: lossSum.add(value.mul(rows.length)),
          norm: normSum.add(norm),
          correct: correct ? correctSum.add(correct) : correctSum,
        }));
        const replaced = next.correct === correctSum ? [lossSum, normSum] : [lossSum, normSum, correctSum];
        tf.dispose([...replaced, value, norm, ...Object.values(grads), ...Object.values(clipped)]);
        lossSum = next.loss;
        normSum = next.norm;
        correctSum = next.correct;
      } finally {
        tf.dispose([xs, ys]);
        if (correct) (correct as tfTypes.Tensor).dispose();
      }
      batches++;
    }
  } catch (error) {
    tf.dispose([lossSum, normSum, correctSum]);
    throw error;
  }
  const [loss, norm, correct] = [lossSum, normSum, correctSum].map((t) => t.dataSync()[0] as number);
  tf.dispose([lossSum, normSum, correctSum]);
  const metrics: Record<string, number> = { loss: (loss as number) / order.length, grad_norm: (norm as number) / batches };
  if (dataset.task === 'classification') metrics.accuracy = (correct as number) / order.length;
  return metrics;
}

/** Decoupled weight decay: w ← w·(1 − lr·λ) on kernels only (biases, norms and embeddings' frequencies keep scale). */
function decayKernels(tf: typeof tfTypes, kernels: readonly tfTypes.Variable[], factor: number): void {
  tf.tidy(() => {
    for (const k of kernels) k.assign(k.mul(1 - factor));
  });
}

/** Global-norm and per-value clipping; returns the (possibly new) gradients and the norm before clipping. */
function clipGradients(
  tf: typeof tfTypes,
  grads: tfTypes.NamedTensorMap,
  fit: FitSpec,
): { clipped: tfTypes.NamedTensorMap; norm: tfTypes.Scalar } {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => g.square().sum()))) as tfTypes.Scalar;
    const clipped: tfTypes.NamedTensorMap = {};
    const scale = fit.clipNorm === null ? null : tf.minimum(1, tf.div(fit.clipNorm, norm.add(1e-12)));
    for (const [name, g] of Object.entries(grads)) {
      let out = scale ? g.mul(scale) : g.clone();
      if (fit.clipValue !== null) out = out.clipByValue(-fit.clipValue, fit.clipValue);
      clipped[name] = out;
    }
    return { clipped, norm };
  });
}

function batchTensors(
  tf: typeof tfTypes,
  dataset: PreparedDataset,
  rows: readonly number[],
  augmentation: Augmentation,
  rng: Rng,
): { xs: tfTypes.Tensor; ys: tfTypes.Tensor } {
  const { train, nFeatures } = dataset;
  const x = new Float32Array(rows.length * nFeatures);
  rows.forEach((row, i) => x.set(train.x.subarray(row * nFeatures, (row + 1) * nFeatures), i * nFeatures));
  // Only training batches pass through here: validation and test rows are never augmented.
  if (augments(augmentation)) augmentBatch(x, rows.length, dataset.inputShape, augmentation, rng, dataset.tokenizer !== undefined);
  const xs = tf.tensor(x, [rows.length, ...dataset.inputShape]);
  // A direct series forecast trains on `horizon` targets per row; every other regression on one.
  const width = dataset.task === 'regression' ? targetWidth(dataset) : 1;
  const y = new Float32Array(rows.length * width);
  rows.forEach((row, i) => y.set(train.y.subarray(row * width, (row + 1) * width), i * width));
  return { xs, ys: targetTensor(tf, dataset, y, width) };
}

/** The objective metric of an epoch's metrics; a metric the task does not produce fails the trial, listing what it does. */
export function objectiveOf(metrics: Metrics, metric: string): number {
  const value = metrics[metric];
  if (value === undefined) {
    throw new TrialFailedError(`objective metric "${metric}" is not produced (available: ${Object.keys(metrics).join(', ')})`);
  }
  return value;
}

function targetTensor(tf: typeof tfTypes, dataset: PreparedDataset, y: Float32Array, width: number): tfTypes.Tensor {
  if (dataset.task === 'regression') return tf.tensor2d(y, [y.length / width, width]);
  return tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), dataset.labels.length).toFloat());
}

/** The model's outputs (probabilities or standardized values) on one split, row-major. */
export function predict(tf: typeof tfTypes, model: tfTypes.LayersModel, dataset: PreparedDataset, split: SplitData): Float32Array {
  const output = tf.tidy(() => {
    const prediction = model.predict(tf.tensor(split.x, [split.rows, ...dataset.inputShape]), { batchSize: 512 });
    return (Array.isArray(prediction) ? prediction[0] : prediction) as tfTypes.Tensor;
  });
  const values = output.dataSync() as Float32Array;
  output.dispose();
  return values;
}

/** Regression targets per training row: the horizon for a direct series forecast, else one. */
export function targetWidth(dataset: PreparedDataset): number {
  return dataset.series?.strategy === 'direct' ? dataset.series.horizon : 1;
}

/**
 * A forecast over a series split from the true values before its cut-off. Recursive: each prediction becomes the
 * newest input of the next, so the error compounds as it would in a real forecast. Direct: one call, whose outputs
 * are the split's steps.
 */
export function forecast(tf: typeof tfTypes, model: tfTypes.LayersModel, dataset: PreparedDataset, split: SplitData): Float32Array {
  const lookback = dataset.nFeatures;
  const window = Float32Array.from(split.x.subarray(0, lookback));
  if (dataset.series?.strategy === 'direct') {
    const steps = tf.tidy(() => (model.predict(tf.tensor(window, [1, ...dataset.inputShape])) as tfTypes.Tensor).dataSync());
    return Float32Array.from(steps).slice(0, split.rows);
  }
  const out = new Float32Array(split.rows);
  for (let i = 0; i < split.rows; i++) {
    const next = tf.tidy(() => (model.predict(tf.tensor(window, [1, ...dataset.inputShape])) as tfTypes.Tensor).dataSync()[0] as number);
    out[i] = next;
    window.copyWithin(0, 1);
    window[lookback - 1] = next;
  }
  return out;
}

/** Loss and task metrics of the model on one split (in original units for regression). */
export function evaluate(tf: typeof tfTypes, model: tfTypes.LayersModel, dataset: PreparedDataset, split: SplitData): Metrics {
  if (split.rows === 0) return {};
  const values = dataset.series && split !== dataset.train ? forecast(tf, model, dataset, split) : predict(tf, model, dataset, split);
  if (dataset.task === 'classification') return classificationMetrics(values, split.y, dataset.labels.length);
  return regressionMetrics(values, split.y, dataset.targetScaler ?? { mean: 0, std: 1, log: false });
}
