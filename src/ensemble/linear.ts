// Small linear models for stacking, fitted in plain JS on a few hundred validation rows: a softmax regression and a
// ridge regression, both L2-penalised with an unpenalised intercept. Inputs are standardised for the fit (so one
// λ grid suits any feature scale) and the coefficients folded back to raw features, so applying them is one product.
import { cholesky, choleskySolve } from '../maths/linalg.js';

/** Row-major `rows × features` inputs. */
export interface Design {
  readonly x: Float64Array;
  readonly rows: number;
  readonly features: number;
}

/** Applies `(features + 1) × outputs` coefficients (intercept last): logits or values, row-major `rows × outputs`. */
export function linearOutputs(design: Design, coefficients: readonly number[] | Float64Array, outputs: number): Float64Array {
  const { x, rows, features } = design;
  const out = new Float64Array(rows * outputs);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outputs; o++) {
      let z = coefficients[features * outputs + o] as number;
      for (let j = 0; j < features; j++) z += (x[r * features + j] as number) * (coefficients[j * outputs + o] as number);
      out[r * outputs + o] = z;
    }
  }
  return out;
}

/** Softmax of each row of logits, in place. */
export function softmaxRows(logits: Float64Array, outputs: number): Float64Array {
  for (let r = 0; r < logits.length / outputs; r++) {
    let max = -Infinity;
    for (let o = 0; o < outputs; o++) max = Math.max(max, logits[r * outputs + o] as number);
    let total = 0;
    for (let o = 0; o < outputs; o++) total += logits[r * outputs + o] = Math.exp((logits[r * outputs + o] as number) - max);
    for (let o = 0; o < outputs; o++) logits[r * outputs + o]! /= total;
  }
  return logits;
}

/**
 * Multinomial logistic regression minimising mean cross-entropy + λ/2·‖W‖² by accelerated gradient descent (FISTA)
 * with step 1/L, L from Böhning's bound on the softmax Hessian (½·λmax(ZᵀZ/n) + λ), so no step size needs tuning.
 */
export function fitLogistic(design: Design, labels: ArrayLike<number>, classes: number, lambda: number, iterations = 300): Float64Array {
  const z = standardize(design);
  const p = design.features + 1;
  const lipschitz = 0.5 * largestEigenvalue(z) + lambda;
  const w = new Float64Array(p * classes);
  let previous = new Float64Array(w);
  const look = new Float64Array(w);
  let t = 1;
  for (let iteration = 0; iteration < iterations; iteration++) {
    const probabilities = softmaxRows(linearOutputs(z, look, classes), classes);
    const gradient = new Float64Array(p * classes);
    for (let r = 0; r < z.rows; r++) {
      for (let c = 0; c < classes; c++) {
        const residual = ((probabilities[r * classes + c] as number) - (labels[r] === c ? 1 : 0)) / z.rows;
        for (let j = 0; j < z.features; j++) gradient[j * classes + c]! += (z.x[r * z.features + j] as number) * residual;
        gradient[z.features * classes + c]! += residual;
      }
    }
    for (let i = 0; i < z.features * classes; i++) gradient[i]! += lambda * (look[i] as number);
    const next = new Float64Array(p * classes);
    for (let i = 0; i < next.length; i++) next[i] = (look[i] as number) - (gradient[i] as number) / lipschitz;
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    for (let i = 0; i < look.length; i++)
      look[i] = (next[i] as number) + ((t - 1) / tNext) * ((next[i] as number) - (previous[i] as number));
    previous = next;
    t = tNext;
  }
  return unstandardize(previous, z, classes);
}

/** Ridge regression in closed form: (ZᵀZ/n + λI)·w = Zᵀ(y − ȳ)/n on standardised inputs, intercept ȳ. */
export function fitRidgeRegression(design: Design, targets: ArrayLike<number>, lambda: number): Float64Array {
  const z = standardize(design);
  const f = z.features;
  const n = z.rows;
  let mean = 0;
  for (let r = 0; r < n; r++) mean += (targets[r] as number) / n;
  const gram = new Float64Array(f * f);
  const rhs = new Float64Array(f);
  for (let r = 0; r < n; r++) {
    const centred = (targets[r] as number) - mean;
    for (let i = 0; i < f; i++) {
      const zi = z.x[r * f + i] as number;
      rhs[i]! += (zi * centred) / n;
      for (let j = 0; j < f; j++) gram[i * f + j]! += (zi * (z.x[r * f + j] as number)) / n;
    }
  }
  // Members that agree closely make ZᵀZ nearly singular; λ > 0 fixes that, a tiny floor covers λ = 0.
  for (let i = 0; i < f; i++) gram[i * f + i]! += Math.max(lambda, 1e-9);
  const factor = cholesky(gram, f);
  if (!factor) throw new Error('stacking: ridge normal equations are not positive definite');
  const w = new Float64Array(f + 1);
  w.set(choleskySolve(factor, f, rhs));
  w[f] = mean;
  return unstandardize(w, z, 1);
}

interface Standardized extends Design {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

function standardize(design: Design): Standardized {
  const { x, rows, features } = design;
  const mean = new Float64Array(features);
  const std = new Float64Array(features);
  for (let r = 0; r < rows; r++) for (let j = 0; j < features; j++) mean[j]! += (x[r * features + j] as number) / rows;
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < features; j++) std[j]! += ((x[r * features + j] as number) - (mean[j] as number)) ** 2 / rows;
  for (let j = 0; j < features; j++) std[j] = Math.sqrt(std[j] as number) || 1; // a constant feature stays 0
  const z = new Float64Array(x.length);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < features; j++) z[r * features + j] = ((x[r * features + j] as number) - (mean[j] as number)) / (std[j] as number);
  return { x: z, rows, features, mean, std };
}

function unstandardize(w: Float64Array, z: Standardized, outputs: number): Float64Array {
  const raw = new Float64Array(w.length);
  for (let o = 0; o < outputs; o++) {
    let intercept = w[z.features * outputs + o] as number;
    for (let j = 0; j < z.features; j++) {
      const coefficient = (w[j * outputs + o] as number) / (z.std[j] as number);
      raw[j * outputs + o] = coefficient;
      intercept -= coefficient * (z.mean[j] as number);
    }
    raw[z.features * outputs + o] = intercept;
  }
  return raw;
}

/** λmax of [Z 1]ᵀ[Z 1]/n by power iteration; slightly over-estimated so the step stays safe. */
function largestEigenvalue(z: Design): number {
  const p = z.features + 1;
  let v = new Float64Array(p).fill(1 / Math.sqrt(p));
  let lambda = 1;
  for (let k = 0; k < 50; k++) {
    const next = new Float64Array(p);
    for (let r = 0; r < z.rows; r++) {
      let dot = v[z.features] as number;
      for (let j = 0; j < z.features; j++) dot += (z.x[r * z.features + j] as number) * (v[j] as number);
      for (let j = 0; j < z.features; j++) next[j]! += ((z.x[r * z.features + j] as number) * dot) / z.rows;
      next[z.features]! += dot / z.rows;
    }
    lambda = Math.hypot(...next);
    if (!(lambda > 0)) return 1;
    v = next.map((value) => value / lambda);
  }
  return lambda * 1.05;
}
