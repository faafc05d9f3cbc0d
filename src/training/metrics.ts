import type { Metrics } from '../core/types.js';

const EPSILON = 1e-7;

/**
 * Cross-entropy and accuracy of class probabilities (row-major, `classes` per row) against class indices.
 *
 * @example classificationMetrics(Float32Array.of(0.9, 0.1), Float32Array.of(0), 2) // { loss: 0.105, accuracy: 1 }
 */
export function classificationMetrics(probabilities: Float32Array, labels: Float32Array, classes: number): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    let best = 0;
    for (let c = 1; c < classes; c++) if ((probabilities[i * classes + c] as number) > (probabilities[i * classes + best] as number)) best = c;
    if (best === label) correct++;
    loss -= Math.log(Math.min(1, Math.max(EPSILON, probabilities[i * classes + label] as number)));
  }
  return { loss: loss / labels.length, accuracy: correct / labels.length };
}

/**
 * Regression metrics. `loss` is the MSE in the standardized units the model trains in; MAE, RMSE and R² are in
 * the target's own units (log transform undone), which is what users compare.
 */
export function regressionMetrics(
  predictions: Float32Array,
  targets: Float32Array,
  scale: { readonly mean: number; readonly std: number; readonly log?: boolean },
): { loss: number; mae: number; rmse: number; r2: number } {
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
  for (let i = 0; i < n; i++) {
    scaledSq += ((predictions[i] as number) - (targets[i] as number)) ** 2;
    const truth = original(targets[i] as number);
    const error = original(predictions[i] as number) - truth;
    sq += error * error;
    abs += Math.abs(error);
    total += (truth - mean) ** 2;
  }
  return { loss: scaledSq / n, mae: abs / n, rmse: Math.sqrt(sq / n), r2: total > 0 ? 1 - sq / total : 0 };
}

/** Prefixes every metric name: `prefixed('val_', { loss: 1 })` → `{ val_loss: 1 }`. */
export function prefixed(prefix: string, metrics: Metrics): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`${prefix}${k}`, v]));
}
