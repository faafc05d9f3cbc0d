import type { Rng } from '../core/rng.js';
import { logSumExp, normCdf, normLogCdf, normLogPdf, normPpf } from './normal.js';

/**
 * log of the probability mass of N(0,1) between a and b (a < b), stable in either tail: the interval is
 * mirrored into the left tail, where log Φ keeps its precision.
 */
export function logNormMass(a: number, b: number): number {
  if (a >= b) return Number.NEGATIVE_INFINITY;
  // Both bounds beyond 8.3 σ: the mass differs from 1 by less than 1e-16.
  if (a < -8.3 && b > 8.3) return 0;
  if (a > 0) return logNormMass(-b, -a);
  const logB = normLogCdf(b);
  const logA = normLogCdf(a);
  // log(Φ(b) − Φ(a)) = log Φ(b) + log(1 − exp(log Φ(a) − log Φ(b)))
  return logB + Math.log1p(-Math.exp(logA - logB));
}

/**
 * log density of a normal N(mu, sigma²) truncated to [low, high], at x.
 *
 * @example truncNormLogPdf(0, 0, 1, -Infinity, Infinity) // −0.9189 (= log φ(0))
 */
export function truncNormLogPdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  if (x < low || x > high) return Number.NEGATIVE_INFINITY;
  const z = (x - mu) / sigma;
  return normLogPdf(z) - Math.log(sigma) - logNormMass((low - mu) / sigma, (high - mu) / sigma);
}

/**
 * log probability that N(mu, sigma²) truncated to [low, high] falls in the bin [x − half, x + half]: the
 * density of a discrete (int or step) parameter.
 */
export function truncNormLogBinMass(x: number, half: number, mu: number, sigma: number, low: number, high: number): number {
  const lo = Math.max(low, x - half);
  const hi = Math.min(high, x + half);
  return logNormMass((lo - mu) / sigma, (hi - mu) / sigma) - logNormMass((low - mu) / sigma, (high - mu) / sigma);
}

/**
 * Quantile of N(mu, sigma²) truncated to [low, high]: `q` ∈ [0, 1] maps to a value in the interval.
 * Computed in the left tail (mirrored when the interval lies right of the mean) to keep precision.
 */
export function truncNormPpf(q: number, mu: number, sigma: number, low: number, high: number): number {
  let a = (low - mu) / sigma;
  let b = (high - mu) / sigma;
  let qq = q;
  let sign = 1;
  if (a > 0) {
    [a, b] = [-b, -a];
    qq = 1 - q;
    sign = -1;
  }
  const ca = normCdf(a);
  const cb = normCdf(b);
  let z: number;
  if (cb - ca > 1e-12) z = normPpf(ca + qq * (cb - ca));
  else {
    // Both bounds deep in the tail: interpolate in log space, where the CDF still has digits.
    const la = normLogCdf(a);
    const lb = normLogCdf(b);
    const target = logSumExp([la + Math.log1p(-qq), lb + Math.log(Math.max(qq, 1e-300))]);
    z = bisect((t) => normLogCdf(t) - target, a, b);
  }
  const value = mu + sign * Math.min(b, Math.max(a, z)) * sigma;
  return Math.min(high, Math.max(low, value));
}

/** One draw from N(mu, sigma²) truncated to [low, high]. */
export function truncNormSample(rng: Rng, mu: number, sigma: number, low: number, high: number): number {
  return truncNormPpf(rng.float(), mu, sigma, low, high);
}

function bisect(f: (x: number) => number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  for (let i = 0; i < 80; i++) {
    const mid = 0.5 * (a + b);
    if (f(mid) < 0) a = mid;
    else b = mid;
  }
  return 0.5 * (a + b);
}
