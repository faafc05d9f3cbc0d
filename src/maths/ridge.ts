// Ridge regression on [X 1] (the intercept last and unpenalised), and its exact leave-one-out error in closed form,
// which is how `alpha: "auto"` is chosen without refitting once per row.
import { cholesky, choleskySolve, solveLower } from './linalg.js';

/** Row-major `rows × features` inputs and one target per row. */
export interface LeastSquaresProblem {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly rows: number;
  readonly features: number;
}

/** [X 1]ᵀ[X 1] (size × size, row-major) and [X 1]ᵀy, with size = features + 1. */
export interface NormalEquations {
  readonly gram: Float64Array;
  readonly rhs: Float64Array;
  readonly size: number;
}

/** The penalties `alpha: "auto"` chooses among: 10⁻³ … 10⁴ in half decades, on standardized features. */
export const RIDGE_ALPHAS: readonly number[] = Array.from({ length: 15 }, (_, i) => 10 ** (-3 + i / 2));

/** The normal equations of a problem, accumulated once for every α tried on it. */
export function normalEquations(problem: LeastSquaresProblem): NormalEquations {
  const { x, y, rows, features: d } = problem;
  const p = d + 1;
  const gram = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const row = new Float64Array(p);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) row[j] = x[r * d + j] as number;
    row[d] = 1;
    const target = y[r] as number;
    for (let i = 0; i < p; i++) {
      const ri = row[i] as number;
      if (ri === 0) continue;
      rhs[i]! += ri * target;
      for (let j = 0; j <= i; j++) gram[i * p + j]! += ri * (row[j] as number);
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) gram[j * p + i] = gram[i * p + j] as number;
  return { gram, rhs, size: p };
}

/**
 * The Cholesky factor of [X 1]ᵀ[X 1] + α·diag(1, …, 1, 0); a singular system (α = 0 with collinear inputs) gets a
 * whisper of ridge rather than no answer. Null when even that fails.
 */
export function penalizedFactor(equations: NormalEquations, alpha: number): Float64Array | null {
  const { gram, size: p } = equations;
  const penalized = Float64Array.from(gram);
  for (let i = 0; i < p - 1; i++) penalized[i * p + i]! += alpha;
  let factor = cholesky(penalized, p);
  for (let jitter = 1e-10; !factor && jitter < 1; jitter *= 100) {
    for (let i = 0; i < p; i++) penalized[i * p + i]! += jitter;
    factor = cholesky(penalized, p);
  }
  return factor;
}

/**
 * Ridge coefficients minimising ‖y − Xw − b‖² + α‖w‖²: the `features` weights, then the intercept b.
 *
 * @example solveRidge(normalEquations({ x: [0, 1, 2], y: [1, 3, 5], rows: 3, features: 1 }), 0) // ≈ [2, 1]
 */
export function solveRidge(equations: NormalEquations, alpha: number): Float64Array | null {
  const factor = penalizedFactor(equations, alpha);
  return factor ? choleskySolve(factor, equations.size, equations.rhs) : null;
}

/**
 * The mean squared leave-one-out error of ridge with penalty α, exactly and without refitting: for a penalised
 * least-squares fit with hat matrix H, the residual of row i when it is left out is eᵢ / (1 − Hᵢᵢ). Infinity when
 * some row determines its own fit (Hᵢᵢ = 1).
 */
export function ridgeLooError(problem: LeastSquaresProblem, equations: NormalEquations, alpha: number): number {
  const factor = penalizedFactor(equations, alpha);
  if (!factor) return Number.POSITIVE_INFINITY;
  const p = equations.size;
  const d = problem.features;
  const w = choleskySolve(factor, p, equations.rhs);
  const row = new Float64Array(p);
  let total = 0;
  for (let r = 0; r < problem.rows; r++) {
    let fitted = w[d] as number;
    for (let j = 0; j < d; j++) {
      row[j] = problem.x[r * d + j] as number;
      fitted += (row[j] as number) * (w[j] as number);
    }
    row[d] = 1;
    // Hᵢᵢ = zᵢᵀ(LLᵀ)⁻¹zᵢ = ‖L⁻¹zᵢ‖².
    const v = solveLower(factor, p, row);
    let leverage = 0;
    for (let k = 0; k < p; k++) leverage += (v[k] as number) ** 2;
    if (!(1 - leverage > 1e-12)) return Number.POSITIVE_INFINITY;
    total += (((problem.y[r] as number) - fitted) / (1 - leverage)) ** 2;
  }
  return total / problem.rows;
}

/**
 * The α among `alphas` with the smallest leave-one-out error (ties: the larger α, the simpler model), as
 * scikit-learn's RidgeCV chooses by default.
 *
 * @example chooseRidgeAlpha({ x, y, rows: 100, features: 3 }).alpha // 0.1
 */
export function chooseRidgeAlpha(
  problem: LeastSquaresProblem,
  alphas: readonly number[] = RIDGE_ALPHAS,
): { readonly alpha: number; readonly looError: number } {
  const equations = normalEquations(problem);
  let best = { alpha: alphas[0] as number, looError: Number.POSITIVE_INFINITY };
  for (const alpha of alphas) {
    const looError = ridgeLooError(problem, equations, alpha);
    if (looError < best.looError || (looError === best.looError && alpha > best.alpha)) best = { alpha, looError };
  }
  return best;
}
