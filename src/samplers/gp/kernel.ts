// Matérn-5/2 kernel with one length scale per dimension (automatic relevance determination).

const SQRT5 = Math.sqrt(5);

/** Kernel hyperparameters in log space, the coordinates the likelihood is optimised in. */
export interface KernelParams {
  /** log of each dimension's length scale. */
  readonly logLengthScales: Float64Array;
  /** log of the signal variance σ_f². */
  readonly logSignal: number;
  /** log of the noise variance σ_n². */
  readonly logNoise: number;
}

/** k(r) = σ_f² (1 + √5 r + 5/3 r²) exp(−√5 r), with r the length-scaled distance. */
export function matern52(r2: number, signal: number): number {
  const r = Math.sqrt(r2);
  return signal * (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/** Squared length-scaled distance between row i of A and row j of B (both `dims` wide). */
export function scaledDistance2(
  a: ArrayLike<number>,
  i: number,
  b: ArrayLike<number>,
  j: number,
  inverseLengths: Float64Array,
  dims: number,
): number {
  let sum = 0;
  for (let d = 0; d < dims; d++) {
    const diff = ((a[i * dims + d] as number) - (b[j * dims + d] as number)) * (inverseLengths[d] as number);
    sum += diff * diff;
  }
  return sum;
}

/** The n×n kernel matrix of X (row-major, `dims` wide), without noise. */
export function kernelMatrix(x: Float64Array, n: number, dims: number, params: KernelParams): Float64Array {
  const inverse = params.logLengthScales.map((l) => Math.exp(-l));
  const signal = Math.exp(params.logSignal);
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    k[i * n + i] = signal;
    for (let j = 0; j < i; j++) {
      const value = matern52(scaledDistance2(x, i, x, j, inverse, dims), signal);
      k[i * n + j] = value;
      k[j * n + i] = value;
    }
  }
  return k;
}

/**
 * ∂k/∂log ℓ_d for every pair, one matrix per dimension: σ_f² · 5/3 · (1 + √5 r) · exp(−√5 r) · (Δ_d / ℓ_d)².
 * The 1/r of the chain rule cancels, so the expression is finite at r = 0.
 */
export function lengthScaleGradients(x: Float64Array, n: number, dims: number, params: KernelParams): Float64Array[] {
  const inverse = params.logLengthScales.map((l) => Math.exp(-l));
  const signal = Math.exp(params.logSignal);
  const grads = Array.from({ length: dims }, () => new Float64Array(n * n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const r = Math.sqrt(scaledDistance2(x, i, x, j, inverse, dims));
      const common = signal * (5 / 3) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
      for (let d = 0; d < dims; d++) {
        const scaled = ((x[i * dims + d] as number) - (x[j * dims + d] as number)) * (inverse[d] as number);
        const value = common * scaled * scaled;
        (grads[d] as Float64Array)[i * n + j] = value;
        (grads[d] as Float64Array)[j * n + i] = value;
      }
    }
  }
  return grads;
}
