import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  cholesky,
  choleskySolve,
  logNormMass,
  logSumExp,
  median,
  normCdf,
  normLogCdf,
  normPpf,
  quantile,
  solveLower,
  truncNormLogBinMass,
  truncNormLogPdf,
  truncNormPpf,
  truncNormSample,
} from '../../src/maths/index.js';
import { logExpectedImprovement, logH } from '../../src/samplers/gp/acquisition.js';

describe('the normal distribution', () => {
  it('matches tabulated values of Φ and its inverse', () => {
    expect(normCdf(0)).toBeCloseTo(0.5, 7);
    expect(normCdf(1.959963985)).toBeCloseTo(0.975, 6);
    expect(normCdf(-3)).toBeCloseTo(0.001349898, 8);
    expect(normPpf(0.975)).toBeCloseTo(1.959963985, 5);
    expect(normPpf(0.001)).toBeCloseTo(-3.090232306, 5);
    for (const p of [1e-12, 1e-6, 0.02, 0.5, 0.9, 1 - 1e-9]) expect(normCdf(normPpf(p)) / p).toBeCloseTo(1, 5);
  });

  it('keeps log Φ finite far in the left tail', () => {
    // log Φ(−40) = −804.608… (asymptotically −x²/2 − log(−x) − ½ log 2π)
    expect(normLogCdf(-40)).toBeCloseTo(-804.6084420137538, 3);
    expect(normLogCdf(-8)).toBeCloseTo(Math.log(6.22096057427178e-16), 4);
  });

  it('computes log masses of intervals in either tail', () => {
    expect(Math.exp(logNormMass(-1, 1))).toBeCloseTo(0.682689492, 7);
    expect(logNormMass(30, 31)).toBeCloseTo(logNormMass(-31, -30), 10);
    expect(Number.isFinite(logNormMass(30, 31))).toBe(true);
    expect(logNormMass(1, 1)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('logSumExp does not overflow', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.log(2), 10);
    expect(logSumExp([])).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('truncated normal', () => {
  it('has a density that integrates to 1 and matches the closed form', () => {
    const [mu, sigma, low, high] = [0.3, 0.2, 0, 1];
    let integral = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) integral += Math.exp(truncNormLogPdf(low + ((i + 0.5) / n) * (high - low), mu, sigma, low, high)) / n;
    expect(integral).toBeCloseTo(1, 6);
    // At the mean: φ(0) / (σ · (Φ(3.5) − Φ(−1.5)))
    const expected = 0.3989422804 / (0.2 * (normCdf(3.5) - normCdf(-1.5)));
    expect(Math.exp(truncNormLogPdf(mu, mu, sigma, low, high))).toBeCloseTo(expected, 6);
    expect(truncNormLogPdf(1.5, mu, sigma, low, high)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('gives discrete bins that sum to 1', () => {
    let total = 0;
    for (let k = 1; k <= 8; k++) total += Math.exp(truncNormLogBinMass(k, 0.5, 3.2, 1.7, 0.5, 8.5));
    expect(total).toBeCloseTo(1, 8);
  });

  it('has quantiles inside the interval, even when it lies far in a tail', () => {
    expect(truncNormPpf(0.5, 0, 1, -1, 1)).toBeCloseTo(0, 6);
    expect(truncNormPpf(0, 0, 1, 2, 3)).toBeCloseTo(2, 6);
    const q = truncNormPpf(0.5, 0, 1, 40, 41);
    expect(q).toBeGreaterThan(40);
    expect(q).toBeLessThan(40.1);
    const rng = new Rng(3);
    const draws = Array.from({ length: 20_000 }, () => truncNormSample(rng, 0.9, 0.5, 0, 1));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThanOrEqual(1);
    // Mean of N(0.9, 0.25) truncated to [0, 1]: 0.6128 (numerical integration)
    expect(draws.reduce((s, v) => s + v, 0) / draws.length).toBeCloseTo(0.6128, 2);
  });
});

describe('expected improvement', () => {
  it('equals the closed form (best − μ)Φ(z) + σφ(z) where that is computable', () => {
    for (const [mean, sd, best] of [
      [0, 1, 0],
      [0.5, 0.3, 0.2],
      [1, 2, 3],
      [0, 1, -4],
    ] as const) {
      const z = (best - mean) / sd;
      const closed = (best - mean) * normCdf(z) + (sd * Math.exp(-0.5 * z * z)) / Math.sqrt(2 * Math.PI);
      expect(Math.exp(logExpectedImprovement(mean, sd, best)) / closed).toBeCloseTo(1, 5);
    }
  });

  it('stays finite and decreasing where EI underflows', () => {
    const values = [-10, -30, -100, -1000].map(logH);
    expect(values.every(Number.isFinite)).toBe(true);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1] as number);
    // log h(z) ≈ log φ(z) − 2 log|z| for large |z|
    expect(logH(-1000)).toBeCloseTo(-0.5 * 1e6 - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(1000), 3);
  });
});

describe('linear algebra', () => {
  it('factorises a positive-definite matrix and solves with it', () => {
    const a = Float64Array.of(4, 12, -16, 12, 37, -43, -16, -43, 98);
    expect([...(cholesky(a, 3) as Float64Array)]).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
    const x = choleskySolve(cholesky(a, 3) as Float64Array, 3, [1, 2, 3]);
    const back = [0, 1, 2].map((i) => [0, 1, 2].reduce((s, j) => s + (a[i * 3 + j] as number) * (x[j] as number), 0));
    back.forEach((v, i) => expect(v).toBeCloseTo(i + 1, 9));
    expect([...solveLower(Float64Array.of(2, 0, 1, 1), 2, [4, 3])]).toEqual([2, 1]);
  });

  it('reports a matrix that is not positive definite', () => {
    expect(cholesky(Float64Array.of(1, 2, 2, 1), 2)).toBeNull();
  });
});

describe('statistics', () => {
  it('interpolates quantiles as numpy does', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([10, 20], 0.75)).toBe(17.5);
    expect(median([])).toBeNaN();
  });
});
