import { cholesky, choleskyInverse, choleskySolve } from '../../maths/linalg.js';
import { kernelMatrix, lengthScaleGradients, type KernelParams } from './kernel.js';

/** Packs kernel hyperparameters as [log ℓ_1..D, log σ_f², log σ_n²] for the optimiser. */
export function packParams(p: KernelParams): Float64Array {
  return Float64Array.from([...p.logLengthScales, p.logSignal, p.logNoise]);
}

export function unpackParams(v: Float64Array, dims: number): KernelParams {
  return { logLengthScales: v.slice(0, dims), logSignal: v[dims] as number, logNoise: v[dims + 1] as number };
}

// Weak priors keep the fit sane on a dozen points: length scales around half the cube, unit signal (targets are
// standardised), and small noise, since most objectives here are deterministic or nearly so.
const PRIOR = { logLength: { mean: Math.log(0.5), sd: 1.5 }, logSignal: { mean: 0, sd: 1.5 }, logNoise: { mean: Math.log(1e-4), sd: 3 } };
/** Floor on the noise variance: jitter that keeps the Cholesky factorisation stable. */
export const MIN_LOG_NOISE = Math.log(1e-6);

function gaussianPenalty(x: number, prior: { mean: number; sd: number }): { value: number; gradient: number } {
  const z = (x - prior.mean) / prior.sd;
  return { value: 0.5 * z * z, gradient: z / prior.sd };
}

/**
 * Negative log marginal likelihood of standardised targets `y` under a GP with these hyperparameters, plus the
 * log-prior penalties, and its gradient: ½ tr((K⁻¹ − ααᵀ) ∂K/∂θ). Returns an infinite value when K is not
 * positive definite, which the line search treats as "step back".
 */
export function negativeLogLikelihood(
  x: Float64Array,
  y: Float64Array,
  n: number,
  dims: number,
  packed: Float64Array,
): { value: number; gradient: Float64Array } {
  const p = unpackParams(packed, dims);
  const gradient = new Float64Array(dims + 2);
  if (p.logNoise < MIN_LOG_NOISE - 1e-9 || Math.abs(p.logSignal) > 20 || p.logLengthScales.some((l) => Math.abs(l) > 12)) {
    return { value: Number.POSITIVE_INFINITY, gradient };
  }
  const k = kernelMatrix(x, n, dims, p);
  const noise = Math.exp(p.logNoise);
  for (let i = 0; i < n; i++) k[i * n + i]! += noise;
  const L = cholesky(k, n);
  if (!L) return { value: Number.POSITIVE_INFINITY, gradient };
  const alpha = choleskySolve(L, n, y);
  let value = 0;
  for (let i = 0; i < n; i++) value += 0.5 * (y[i] as number) * (alpha[i] as number) + Math.log(L[i * n + i] as number);
  value += 0.5 * n * Math.log(2 * Math.PI);

  // W = K⁻¹ − ααᵀ; each gradient is ½ Σ_ij W_ij ∂K_ij.
  const w = choleskyInverse(L, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) w[i * n + j]! -= (alpha[i] as number) * (alpha[j] as number);
  const grads = lengthScaleGradients(x, n, dims, p);
  for (let d = 0; d < dims; d++) gradient[d] = 0.5 * frobenius(w, grads[d] as Float64Array);
  const signal = Math.exp(p.logSignal);
  // ∂K/∂log σ_f² = K − σ_n² I (the noiseless kernel); ∂K/∂log σ_n² = σ_n² I.
  let signalGrad = 0;
  let noiseGrad = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) signalGrad += (w[i * n + j] as number) * ((k[i * n + j] as number) - (i === j ? noise : 0));
    noiseGrad += (w[i * n + i] as number) * noise;
  }
  gradient[dims] = 0.5 * signalGrad;
  gradient[dims + 1] = 0.5 * noiseGrad;
  void signal;

  for (let d = 0; d < dims; d++) {
    const pen = gaussianPenalty(p.logLengthScales[d] as number, PRIOR.logLength);
    value += pen.value;
    gradient[d]! += pen.gradient;
  }
  const s = gaussianPenalty(p.logSignal, PRIOR.logSignal);
  const z = gaussianPenalty(p.logNoise, PRIOR.logNoise);
  value += s.value + z.value;
  gradient[dims]! += s.gradient;
  gradient[dims + 1]! += z.gradient;
  return { value, gradient };
}

function frobenius(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

/** The prior means: where the fit starts when it knows nothing. */
export function defaultParams(dims: number): KernelParams {
  return { logLengthScales: new Float64Array(dims).fill(PRIOR.logLength.mean), logSignal: 0, logNoise: Math.log(1e-3) };
}
