import type * as tfTypes from '@tensorflow/tfjs';
import { TrialFailedError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { Metrics } from '../core/types.js';
import type { PreparedDataset, SplitData } from '../data/prepare.js';
import { classificationMetrics, prefixed, regressionMetrics } from './metrics.js';
import type { Reporter } from './protocol.js';

/** The result of a fit: the best epoch's metrics, and whether the scheduler stopped it early. */
export interface FitResult {
  readonly bestEpoch: number;
  readonly bestMetrics: Metrics;
  readonly epochsTrained: number;
  readonly stoppedAtEpoch: number | null;
}

export interface FitOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly objective: { readonly metric: string; readonly direction: 'minimize' | 'maximize' };
  readonly rng: Rng;
  readonly reporter: Reporter;
}

/**
 * Trains epoch by epoch: shuffles with the trial's seeded stream (tfjs's own shuffle uses Math.random), reports
 * every epoch's metrics, stops when told, fails on a non-finite loss, and leaves the model holding the weights of
 * its best epoch by the objective metric.
 */
export async function fitModel(
  tf: typeof tfTypes,
  model: tfTypes.LayersModel,
  dataset: PreparedDataset,
  options: FitOptions,
): Promise<FitResult> {
  const { train } = dataset;
  const order = Array.from({ length: train.rows }, (_, i) => i);
  let best: { epoch: number; metrics: Metrics; weights: tfTypes.Tensor[] } | null = null;
  let epoch = 0;
  let stoppedAtEpoch: number | null = null;
  try {
    for (epoch = 1; epoch <= options.epochs; epoch++) {
      options.rng.shuffle(order);
      const epochStarted = performance.now();
      const trainMetrics = await fitOneEpoch(tf, model, dataset, order, options.batchSize);
      // Throughput of the training pass alone, so a slow configuration (or backend) shows in every epoch's report.
      const samplesPerSecond = order.length / Math.max(1e-9, (performance.now() - epochStarted) / 1000);
      if (!Number.isFinite(trainMetrics.loss ?? Number.NaN)) {
        throw new TrialFailedError(`training loss became ${trainMetrics.loss} at epoch ${epoch}`);
      }
      const metrics: Metrics = {
        ...trainMetrics,
        ...prefixed('val_', evaluate(tf, model, dataset, dataset.validation)),
        samples_per_second: samplesPerSecond,
      };
      const value = metrics[options.objective.metric];
      if (value === undefined) {
        throw new TrialFailedError(
          `objective metric "${options.objective.metric}" is not produced (available: ${Object.keys(metrics).join(', ')})`,
        );
      }
      if (!best || isBetter(value, best.metrics[options.objective.metric] as number, options.objective.direction)) {
        for (const w of best?.weights ?? []) w.dispose();
        best = { epoch, metrics, weights: model.getWeights().map((w) => w.clone()) };
      }
      const decision = await options.reporter.report(epoch, metrics);
      if (decision.stop) {
        stoppedAtEpoch = epoch;
        break;
      }
    }
    if (!best) throw new TrialFailedError('no epoch was trained');
    model.setWeights(best.weights);
    return {
      bestEpoch: best.epoch,
      bestMetrics: best.metrics,
      epochsTrained: stoppedAtEpoch ?? options.epochs,
      stoppedAtEpoch,
    };
  } finally {
    for (const w of best?.weights ?? []) w.dispose();
  }
}

function isBetter(candidate: number, incumbent: number, direction: 'minimize' | 'maximize'): boolean {
  if (Number.isNaN(incumbent)) return !Number.isNaN(candidate);
  return direction === 'minimize' ? candidate < incumbent : candidate > incumbent;
}

async function fitOneEpoch(
  tf: typeof tfTypes,
  model: tfTypes.LayersModel,
  dataset: PreparedDataset,
  order: readonly number[],
  batchSize: number,
): Promise<Record<string, number>> {
  const { train, nFeatures } = dataset;
  const x = new Float32Array(order.length * nFeatures);
  order.forEach((row, i) => x.set(train.x.subarray(row * nFeatures, (row + 1) * nFeatures), i * nFeatures));
  const xs = tf.tensor(x, [order.length, ...dataset.inputShape]);
  const ys = targetTensor(tf, dataset, Float32Array.from(order, (row) => train.y[row] as number));
  try {
    const history = await model.fit(xs, ys, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
    const loss = history.history.loss?.[0] as number;
    const accuracy = history.history.acc?.[0] as number | undefined;
    return accuracy === undefined ? { loss } : { loss, accuracy };
  } finally {
    xs.dispose();
    ys.dispose();
  }
}

function targetTensor(tf: typeof tfTypes, dataset: PreparedDataset, y: Float32Array): tfTypes.Tensor {
  if (dataset.task === 'regression') return tf.tensor2d(y, [y.length, 1]);
  return tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), dataset.labels.length).toFloat());
}

/** Loss and task metrics of the model on one split (in original units for regression). */
export function evaluate(tf: typeof tfTypes, model: tfTypes.LayersModel, dataset: PreparedDataset, split: SplitData): Metrics {
  if (split.rows === 0) return {};
  const output = tf.tidy(() => {
    const prediction = model.predict(tf.tensor(split.x, [split.rows, ...dataset.inputShape]), { batchSize: 512 });
    return (Array.isArray(prediction) ? prediction[0] : prediction) as tfTypes.Tensor;
  });
  const values = output.dataSync() as Float32Array;
  output.dispose();
  if (dataset.task === 'classification') return classificationMetrics(values, split.y, dataset.labels.length);
  return regressionMetrics(values, split.y, dataset.targetScaler ?? { mean: 0, std: 1, log: false });
}
