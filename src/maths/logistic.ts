// Multinomial logistic regression with an L2 penalty, fitted by L-BFGS: the classifier a statistician fits first.
import { lbfgs } from './lbfgs.js';

/** Row-major `rows × features` inputs and a class index per row. */
export interface ClassificationProblem {
  readonly x: ArrayLike<number>;
  readonly labels: ArrayLike<number>;
  readonly rows: number;
  readonly features: number;
  readonly classes: number;
}

/**
 * Coefficients minimising Σᵢ −log softmax(Wᵀxᵢ + b)[yᵢ] + α/2·‖W‖² (the intercepts unpenalised; scikit-learn's
 * LogisticRegression with C = 1/α), as a `(features + 1) × classes` row-major array with the intercepts in the last
 * row, which is a dense layer's kernel followed by its bias. The objective is divided by the row count so L-BFGS's
 * relative tolerance means the same on any dataset size. Zero inputs are skipped, so a sparse TF-IDF table costs
 * its non-zeros.
 *
 * @example fitMultinomialLogistic({ x, labels, rows: 150, features: 4, classes: 3 }, 1)
 */
export function fitMultinomialLogistic(
  problem: ClassificationProblem,
  alpha: number,
  options: { readonly maxIterations?: number } = {},
): Float64Array {
  const { x, labels, rows, features: d, classes: k } = problem;
  const size = (d + 1) * k;
  const logits = new Float64Array(k);
  const objective = (w: Float64Array) => {
    const gradient = new Float64Array(size);
    let value = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < k; c++) logits[c] = w[d * k + c] as number;
      for (let j = 0; j < d; j++) {
        const xj = x[r * d + j] as number;
        if (xj === 0) continue;
        for (let c = 0; c < k; c++) logits[c]! += xj * (w[j * k + c] as number);
      }
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, logits[c] as number);
      let total = 0;
      for (let c = 0; c < k; c++) total += Math.exp((logits[c] as number) - max);
      const logTotal = max + Math.log(total);
      const label = labels[r] as number;
      value += logTotal - (logits[label] as number);
      // The residual p − onehot(y) of each class, reusing `logits`.
      for (let c = 0; c < k; c++) logits[c] = Math.exp((logits[c] as number) - logTotal) - (c === label ? 1 : 0);
      for (let j = 0; j < d; j++) {
        const xj = x[r * d + j] as number;
        if (xj === 0) continue;
        for (let c = 0; c < k; c++) gradient[j * k + c]! += xj * (logits[c] as number);
      }
      for (let c = 0; c < k; c++) gradient[d * k + c]! += logits[c] as number;
    }
    for (let i = 0; i < d * k; i++) {
      value += (alpha / 2) * (w[i] as number) ** 2;
      gradient[i]! += alpha * (w[i] as number);
    }
    for (let i = 0; i < size; i++) gradient[i]! /= rows;
    return { value: value / rows, gradient };
  };
  return lbfgs(objective, new Float64Array(size), { maxIterations: options.maxIterations ?? 500, tolerance: 1e-10 }).x;
}
