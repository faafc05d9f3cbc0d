import type { Metrics } from '../core/types.js';

const EPSILON = 1e-7;

/**
 * Classification metrics of class probabilities (row-major, `classes` per row) against class indices: log loss
 * (cross-entropy), accuracy, balanced accuracy, macro precision / recall / F1, and ROC AUC for two classes.
 *
 * @example classificationMetrics(Float32Array.of(0.9, 0.1), Float32Array.of(0), 2).accuracy // 1
 */
export function classificationMetrics(probabilities: Float32Array, labels: Float32Array, classes: number): Record<string, number> {
  const { confusion, loss } = confusionMatrix(probabilities, labels, classes);
  const n = labels.length;
  let correct = 0;
  const recalls: number[] = [];
  const precisions: number[] = [];
  const f1s: number[] = [];
  for (let c = 0; c < classes; c++) {
    const tp = confusion[c]![c]!;
    correct += tp;
    const actual = confusion[c]!.reduce((s, v) => s + v, 0);
    const predicted = confusion.reduce((s, row) => s + row[c]!, 0);
    if (actual === 0) continue; // a class absent from this split has no recall to average
    const recall = tp / actual;
    const precision = predicted > 0 ? tp / predicted : 0;
    recalls.push(recall);
    precisions.push(precision);
    f1s.push(recall + precision > 0 ? (2 * recall * precision) / (recall + precision) : 0);
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : 0);
  const metrics: Record<string, number> = {
    loss: loss / n,
    accuracy: correct / n,
    balanced_accuracy: mean(recalls),
    precision: mean(precisions),
    recall: mean(recalls),
    f1: mean(f1s),
  };
  if (classes === 2) metrics.auc = rocAuc(probabilities, labels);
  return metrics;
}

/** Confusion matrix (rows: true class, columns: predicted) and the summed cross-entropy. */
export function confusionMatrix(
  probabilities: Float32Array,
  labels: Float32Array,
  classes: number,
): { confusion: number[][]; loss: number } {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let loss = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    let best = 0;
    for (let c = 1; c < classes; c++)
      if ((probabilities[i * classes + c] as number) > (probabilities[i * classes + best] as number)) best = c;
    confusion[label]![best]!++;
    loss -= Math.log(Math.min(1, Math.max(EPSILON, probabilities[i * classes + label] as number)));
  }
  return { confusion, loss };
}

/** Area under the ROC curve for two classes (class 1 positive), by the rank-sum formula with ties averaged. */
export function rocAuc(probabilities: Float32Array, labels: Float32Array): number {
  const scores = Array.from(labels, (label, i) => ({ score: probabilities[i * 2 + 1] as number, positive: label === 1 }));
  scores.sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < scores.length; ) {
    let j = i;
    while (j < scores.length && scores[j]!.score === scores[i]!.score) j++;
    const averageRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++)
      if (scores[k]!.positive) {
        rankSum += averageRank;
        positives++;
      }
    i = j;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Regression metrics. `loss` is the MSE in the standardized units the model trains in; MAE, RMSE and R² are in
 * the target's own units (log transform undone), which is what users compare.
 */
export function regressionMetrics(
  predictions: Float32Array,
  targets: Float32Array,
  scale: { readonly mean: number; readonly std: number; readonly log?: boolean },
): { loss: number; mse: number; mae: number; rmse: number; r2: number; mape: number } {
  const n = targets.length;
  const original = (v: number) => {
    const unscaled = v * scale.std + scale.mean;
    return scale.log ? Math.expm1(unscaled) : unscaled;
  };
  let scaledSq = 0;
  let sq = 0;
  let abs = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += original(targets[i] as number) / n;
  let total = 0;
  let relative = 0;
  let relativeCount = 0;
  for (let i = 0; i < n; i++) {
    scaledSq += ((predictions[i] as number) - (targets[i] as number)) ** 2;
    const truth = original(targets[i] as number);
    const error = original(predictions[i] as number) - truth;
    sq += error * error;
    abs += Math.abs(error);
    total += (truth - mean) ** 2;
    // MAPE skips zero targets, where a percentage error is undefined.
    if (truth !== 0) {
      relative += Math.abs(error / truth);
      relativeCount++;
    }
  }
  return {
    loss: scaledSq / n,
    mse: sq / n,
    mae: abs / n,
    rmse: Math.sqrt(sq / n),
    r2: total > 0 ? 1 - sq / total : 0,
    mape: relativeCount > 0 ? (100 * relative) / relativeCount : Number.NaN,
  };
}

/** Prefixes every metric name: `prefixed('val_', { loss: 1 })` → `{ val_loss: 1 }`. */
export function prefixed(prefix: string, metrics: Metrics): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`${prefix}${k}`, v]));
}
