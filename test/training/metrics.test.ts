import { describe, expect, it } from 'vitest';
import { classificationMetrics, confusionMatrix, regressionMetrics, rocAuc } from '../../src/training/metrics.js';

describe('evaluation metrics against hand-computed values', () => {
  // Three classes, six rows: true 0,0,1,1,2,2; predicted 0,1,1,1,2,0.
  const probs = Float32Array.of(0.8, 0.1, 0.1, 0.3, 0.6, 0.1, 0.1, 0.7, 0.2, 0.2, 0.5, 0.3, 0.1, 0.2, 0.7, 0.5, 0.2, 0.3);
  const labels = Float32Array.of(0, 0, 1, 1, 2, 2);

  it('confusion matrix, accuracy, balanced accuracy, macro precision / recall / F1, log loss', () => {
    expect(confusionMatrix(probs, labels, 3).confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
    const m = classificationMetrics(probs, labels, 3);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    // recalls 1/2, 1, 1/2; precisions 1/2, 2/3, 1
    expect(m.balanced_accuracy).toBeCloseTo(2 / 3, 12);
    expect(m.precision).toBeCloseTo((0.5 + 2 / 3 + 1) / 3, 12);
    const f1 = [(2 * 0.5 * 0.5) / 1, (2 * 1 * (2 / 3)) / (1 + 2 / 3), (2 * 0.5 * 1) / 1.5];
    expect(m.f1).toBeCloseTo(f1.reduce((s, v) => s + v, 0) / 3, 6);
    const logLoss = -[0.8, 0.3, 0.7, 0.5, 0.7, 0.3].reduce((s, p) => s + Math.log(p), 0) / 6;
    expect(m.loss).toBeCloseTo(logLoss, 6);
  });

  it('ROC AUC for two classes, ties counted half', () => {
    // scores of class 1: positives 0.9, 0.4; negatives 0.4, 0.1 → pairs (0.9>0.4, 0.9>0.1, 0.4=0.4, 0.4>0.1) = 3.5/4
    const p = Float32Array.of(0.1, 0.9, 0.6, 0.4, 0.6, 0.4, 0.9, 0.1);
    expect(rocAuc(p, Float32Array.of(1, 1, 0, 0))).toBeCloseTo(0.875, 12);
    expect(classificationMetrics(p, Float32Array.of(1, 1, 0, 0), 2).auc).toBeCloseTo(0.875, 12);
  });

  it('regression metrics in the target units, with MAPE and the log transform undone', () => {
    const scale = { mean: 10, std: 2, log: false };
    // targets 8, 12, 10; predictions 9, 12, 13 (standardized: (v − 10) / 2)
    const m = regressionMetrics(Float32Array.of(-0.5, 1, 1.5), Float32Array.of(-1, 1, 0), scale);
    expect(m.mae).toBeCloseTo(4 / 3, 6);
    expect(m.mse).toBeCloseTo(10 / 3, 6);
    expect(m.rmse).toBeCloseTo(Math.sqrt(10 / 3), 6);
    expect(m.r2).toBeCloseTo(1 - 10 / 8, 6);
    expect(m.mape).toBeCloseTo((100 * (1 / 8 + 0 + 3 / 10)) / 3, 4);
    const logged = regressionMetrics(Float32Array.of(0), Float32Array.of(0), { mean: Math.log1p(99), std: 1, log: true });
    expect(logged.mae).toBeCloseTo(0, 9);
  });
});
