// Dense linear algebra on row-major Float64Arrays: what a Gaussian process needs, kept allocation-light because
// it runs on every suggestion.

/**
 * Cholesky factor L (lower triangular, row-major) of a symmetric positive-definite n×n matrix, or null when the
 * matrix is not numerically positive definite (callers add jitter and retry).
 *
 * @example cholesky(Float64Array.of(4, 2, 2, 3), 2) // [2, 0, 1, 1.414…]
 */
export function cholesky(matrix: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      let sum = matrix[rowI + j] as number;
      for (let k = 0; k < j; k++) sum -= (L[rowI + k] as number) * (L[rowJ + k] as number);
      if (i === j) {
        if (!(sum > 0)) return null;
        L[rowI + i] = Math.sqrt(sum);
      } else {
        L[rowI + j] = sum / (L[rowJ + j] as number);
      }
    }
  }
  return L;
}

/** Solves L·x = b for lower-triangular L (forward substitution). */
export function solveLower(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i] as number;
    const row = i * n;
    for (let k = 0; k < i; k++) sum -= (L[row + k] as number) * (x[k] as number);
    x[i] = sum / (L[row + i] as number);
  }
  return x;
}

/** Solves Lᵀ·x = b for lower-triangular L (back substitution). */
export function solveUpperT(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[i] as number;
    for (let k = i + 1; k < n; k++) sum -= (L[k * n + i] as number) * (x[k] as number);
    x[i] = sum / (L[i * n + i] as number);
  }
  return x;
}

/** Solves (L·Lᵀ)·x = b given the Cholesky factor L. */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return solveUpperT(L, n, solveLower(L, n, b));
}

/** The inverse of L·Lᵀ from its Cholesky factor (needed for likelihood gradients). */
export function choleskyInverse(L: Float64Array, n: number): Float64Array {
  const inverse = new Float64Array(n * n);
  const unit = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    unit.fill(0);
    unit[j] = 1;
    const column = choleskySolve(L, n, unit);
    for (let i = 0; i < n; i++) inverse[i * n + j] = column[i] as number;
  }
  return inverse;
}
