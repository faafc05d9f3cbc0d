import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { TrialRecord } from '../../src/core/types.js';
import { ParzenEstimator } from '../../src/samplers/tpe/parzen.js';
import { splitGoodBad } from '../../src/samplers/tpe/split.js';
import { defaultGamma, defaultWeights } from '../../src/samplers/tpe/weights.js';
import { truncNormLogPdf } from '../../src/maths/index.js';

const range = { low: 0, high: 10, step: 0, log: false };

describe('TPE building blocks', () => {
  it("uses Optuna's gamma and weights", () => {
    expect([1, 10, 11, 100, 250, 1000].map(defaultGamma)).toEqual([1, 1, 2, 10, 25, 25]);
    expect([...defaultWeights(3)]).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w[0]).toBeCloseTo(1 / 30, 12);
    expect(w[4]).toBe(1);
    expect([...w.slice(5)]).toEqual(Array(25).fill(1));
    expect(w[2]).toBeCloseTo(1 / 30 + (1 - 1 / 30) / 2, 12);
  });

  it('builds the mixture Optuna builds: neighbour bandwidths, a prior, equal weights', () => {
    // Observations 2 and 6 plus the prior at 5: sorted 2, 5, 6 with endpoints 0 and 10.
    // The outer kernels ignore the bounds: σ(2) = 5 − 2 = 3, σ(6) = 6 − 5 = 1, which the magic clip raises to
    // (10 − 0) / min(100, 1 + 3 kernels) = 2.5; the prior has σ = 10.
    const pe = new ParzenEstimator([Float64Array.of(2, 6)], [{ kind: 'numeric', range }], defaultWeights(2), {
      multivariate: false,
      priorWeight: 1,
      magicClip: true,
    });
    const x = 4.2;
    const expected = Math.log(
      (Math.exp(truncNormLogPdf(x, 2, 3, 0, 10)) +
        Math.exp(truncNormLogPdf(x, 6, 2.5, 0, 10)) +
        Math.exp(truncNormLogPdf(x, 5, 10, 0, 10))) /
        3,
    );
    expect(pe.logPdf([x])).toBeCloseTo(expected, 10);
  });

  it('is a normalised density (continuous) and distribution (categorical)', () => {
    const pe = new ParzenEstimator(
      [Float64Array.of(1, 1.5, 8), Float64Array.of(0, 2, 2)],
      [
        { kind: 'numeric', range },
        { kind: 'categorical', size: 3 },
      ],
      defaultWeights(3),
      {
        multivariate: true,
        priorWeight: 1,
        magicClip: true,
      },
    );
    let total = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) total += (Math.exp(pe.logPdf([((i + 0.5) / n) * 10, k])) * 10) / n;
    expect(total).toBeCloseTo(1, 4);
    const draws = pe.sample(new Rng(1), 3000);
    expect(draws.every(([x, k]) => (x as number) >= 0 && (x as number) <= 10 && [0, 1, 2].includes(k as number))).toBe(true);
    // Category 2 was observed twice, 1 never: draws follow.
    const count = (k: number) => draws.filter((d) => d[1] === k).length;
    expect(count(2)).toBeGreaterThan(count(1) * 2);
  });

  it('splits good from bad with pruned trials behind complete ones and running ones as the worst', () => {
    const trial = (number: number, state: TrialRecord['state'], value: number | null, lastStep: number | null = null) =>
      ({ number, state, values: value === null ? null : [value], lastStep, params: {} }) as unknown as TrialRecord;
    const trials = [
      trial(0, 'complete', 5),
      trial(1, 'pruned', 0.1, 3),
      trial(2, 'complete', 1),
      trial(3, 'running', null),
      trial(4, 'failed', null),
      ...Array.from({ length: 8 }, (_, i) => trial(5 + i, 'complete', 10 + i)),
    ];
    const { below, above } = splitGoodBad(trials, 'minimize', { constantLiar: true });
    // 11 usable finished trials → gamma = 2: the two best complete trials, even though a pruned one had 0.1.
    expect(below.map((t) => t.number)).toEqual([0, 2]);
    expect(above.map((t) => t.number)).toEqual([1, 3, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(splitGoodBad(trials, 'minimize', { constantLiar: false }).above.map((t) => t.number)).not.toContain(3);
  });
});
