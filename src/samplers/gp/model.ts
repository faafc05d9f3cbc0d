import { cholesky, choleskySolve, solveLower } from '../../maths/linalg.js';
import { kernelMatrix, matern52, scaledDistance2, type KernelParams } from './kernel.js';

/**
 * A Gaussian process conditioned on observations: the Cholesky factor and α = K⁻¹y, ready to predict a mean and
 * a standard deviation at any point in O(n·D + n²).
 */
export class GpPosterior {
  private readonly L: Float64Array;
  private readonly alpha: Float64Array;
  private readonly inverseLengths: Float64Array;
  private readonly signal: number;
  private readonly kStar: Float64Array;

  private constructor(
    private readonly x: Float64Array,
    readonly n: number,
    readonly dims: number,
    params: KernelParams,
    L: Float64Array,
    y: Float64Array,
  ) {
    this.L = L;
    this.alpha = choleskySolve(L, n, y);
    this.inverseLengths = params.logLengthScales.map((l) => Math.exp(-l));
    this.signal = Math.exp(params.logSignal);
    this.kStar = new Float64Array(n);
  }

  /** Conditions on (x, y); adds jitter until the kernel matrix factorises. */
  static fit(x: Float64Array, y: Float64Array, n: number, dims: number, params: KernelParams): GpPosterior {
    const k = kernelMatrix(x, n, dims, params);
    let noise = Math.exp(params.logNoise);
    for (let attempt = 0; attempt < 8; attempt++) {
      const withNoise = Float64Array.from(k);
      for (let i = 0; i < n; i++) withNoise[i * n + i]! += noise;
      const L = cholesky(withNoise, n);
      if (L) return new GpPosterior(x, n, dims, params, L, y);
      noise *= 10;
    }
    throw new Error('kernel matrix is not positive definite even with jitter');
  }

  /** Posterior mean and standard deviation of the latent function at one point. */
  predict(point: ArrayLike<number>): { mean: number; sd: number } {
    const { n, dims, kStar } = this;
    for (let i = 0; i < n; i++) kStar[i] = matern52(scaledDistance2(this.x, i, point, 0, this.inverseLengths, dims), this.signal);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += (kStar[i] as number) * (this.alpha[i] as number);
    const v = solveLower(this.L, n, kStar);
    let explained = 0;
    for (let i = 0; i < n; i++) explained += (v[i] as number) * (v[i] as number);
    return { mean, sd: Math.sqrt(Math.max(1e-18, this.signal - explained)) };
  }
}
