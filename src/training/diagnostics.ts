import type { Metrics } from '../core/types.js';

/** Thresholds of the training diagnoses. */
export const DIAGNOSIS_LIMITS = {
  /** Epochs of rising validation loss (while training loss falls) that make overfitting. */
  risingEpochs: 3,
  /** Validation loss above training loss by this factor (and at least 0.1) is a generalization gap. */
  gapRatio: 2,
  vanishingNorm: 1e-7,
  explodingNorm: 1e4,
} as const;

/**
 * Reads a trial's epoch history and names what went wrong, for `autotune show` and early stopping:
 * `overfitting` (validation loss rising for several epochs while training loss falls, or a large gap),
 * `underfitting` (the training metric no better than the trivial baseline: the majority class, or the mean),
 * `vanishing gradients` and `exploding gradients` (global gradient norm beyond thresholds).
 *
 * @example diagnose([{ loss: 1, val_loss: 1 }, …], { classification: true, majorityShare: 0.4 })
 */
export function diagnose(
  epochs: readonly Metrics[],
  baseline: { readonly classification: boolean; readonly majorityShare: number },
): string[] {
  const found: string[] = [];
  const last = epochs.at(-1);
  if (!last) return found;
  const k = DIAGNOSIS_LIMITS.risingEpochs;
  if (epochs.length > k) {
    const tail = epochs.slice(-(k + 1));
    const valRising = tail.every((m, i) => i === 0 || (m.val_loss as number) > (tail[i - 1]?.val_loss as number));
    const trainFalling = (tail.at(-1)?.loss as number) < (tail[0]?.loss as number);
    if (valRising && trainFalling) found.push(`overfitting: validation loss rose for ${k} epochs while training loss fell`);
  }
  const gap = (last.val_loss as number) - (last.loss as number);
  if (!found.length && gap > 0.1 && (last.val_loss as number) > DIAGNOSIS_LIMITS.gapRatio * (last.loss as number)) {
    found.push(
      `overfitting: validation loss ${(last.val_loss as number).toFixed(3)} against training loss ${(last.loss as number).toFixed(3)}`,
    );
  }
  if (baseline.classification && last.accuracy !== undefined && last.accuracy <= baseline.majorityShare + 0.01) {
    found.push(
      `underfitting: training accuracy ${last.accuracy.toFixed(3)} is no better than always predicting the majority class (${baseline.majorityShare.toFixed(3)})`,
    );
  }
  // Regression trains on standardized targets: predicting the mean scores an MSE of 1.
  if (!baseline.classification && (last.loss as number) >= 0.98) {
    found.push(
      `underfitting: training MSE ${(last.loss as number).toFixed(3)} is no better than predicting the mean (1.0 in standardized units)`,
    );
  }
  const norms = epochs.map((m) => m.grad_norm).filter((n): n is number => n !== undefined);
  if (norms.length > 0 && Math.max(...norms) < DIAGNOSIS_LIMITS.vanishingNorm)
    found.push(`vanishing gradients: norm below ${DIAGNOSIS_LIMITS.vanishingNorm}`);
  if (norms.some((n) => n > DIAGNOSIS_LIMITS.explodingNorm))
    found.push(`exploding gradients: norm above ${DIAGNOSIS_LIMITS.explodingNorm}`);
  return found;
}
