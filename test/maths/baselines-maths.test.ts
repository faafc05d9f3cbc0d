import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  autocorrelation,
  chooseRidgeAlpha,
  fitMultinomialLogistic,
  lbfgs,
  normalEquations,
  ridgeLooError,
  seasonalPeriod,
  solveRidge,
} from '../../src/maths/index.js';
import { repoPath } from '../helpers/tmp.js';

function csvColumns(file: string, names: readonly string[]): number[][] {
  const [header, ...lines] = readFileSync(repoPath('datasets', file), 'utf8').trim().split('\n');
  const indices = names.map((name) => (header as string).split(',').indexOf(name));
  return lines.map((line) => {
    const cells = line.split(',');
    return indices.map((i) => Number(cells[i]));
  });
}

describe('L-BFGS', () => {
  it('finds the minimum of the Rosenbrock function at (1, 1)', () => {
    const rosenbrock = (x: Float64Array) => {
      const [a, b] = [x[0] as number, x[1] as number];
      return {
        value: (1 - a) ** 2 + 100 * (b - a * a) ** 2,
        gradient: Float64Array.of(-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)),
      };
    };
    const { x, value } = lbfgs(rosenbrock, Float64Array.of(-1.2, 1), { maxIterations: 200, tolerance: 1e-14 });
    expect(x[0]).toBeCloseTo(1, 4);
    expect(x[1]).toBeCloseTo(1, 4);
    expect(value).toBeLessThan(1e-8);
  });
});

describe('ridge with α by leave-one-out', () => {
  // 40 diabetes patients, 3 standardized features: small enough to refit once per left-out row.
  const raw = csvColumns('diabetes.csv', ['bmi', 'bp', 's5_ltg', 'progression']).slice(0, 40);
  const features = 3;
  const stats = [0, 1, 2].map((j) => {
    const column = raw.map((r) => r[j] as number);
    const mean = column.reduce((s, v) => s + v, 0) / column.length;
    return { mean, std: Math.sqrt(column.reduce((s, v) => s + (v - mean) ** 2, 0) / column.length) };
  });
  const x = raw.flatMap((r) => [0, 1, 2].map((j) => ((r[j] as number) - stats[j]!.mean) / stats[j]!.std));
  const y = raw.map((r) => r[3] as number);
  const problem = { x, y, rows: raw.length, features };

  const bruteForceLoo = (alpha: number) => {
    let total = 0;
    for (let i = 0; i < raw.length; i++) {
      const keep = [...raw.keys()].filter((r) => r !== i);
      const w = solveRidge(
        normalEquations({
          x: keep.flatMap((r) => x.slice(r * features, (r + 1) * features)),
          y: keep.map((r) => y[r] as number),
          rows: keep.length,
          features,
        }),
        alpha,
      )!;
      const predicted = (w[features] as number) + [0, 1, 2].reduce((s, j) => s + (w[j] as number) * (x[i * features + j] as number), 0);
      total += ((y[i] as number) - predicted) ** 2;
    }
    return total / raw.length;
  };

  it('gives each α the error of refitting without each row in turn', () => {
    const equations = normalEquations(problem);
    for (const alpha of [0, 0.1, 3, 100]) expect(ridgeLooError(problem, equations, alpha) / bruteForceLoo(alpha)).toBeCloseTo(1, 9);
  });

  it('chooses the α that brute-force leave-one-out chooses', () => {
    const alphas = [0.01, 0.1, 1, 3, 10, 30, 100, 1000];
    const bruteForce = alphas.map((alpha) => ({ alpha, error: bruteForceLoo(alpha) })).sort((a, b) => a.error - b.error)[0]!;
    const chosen = chooseRidgeAlpha(problem, alphas);
    expect(chosen.alpha).toBe(bruteForce.alpha);
    expect(chosen.looError).toBeCloseTo(bruteForce.error, 6);
    // Neither end of the grid: the choice is a real trade-off on this problem.
    expect([alphas[0], alphas.at(-1)]).not.toContain(chosen.alpha);
  });

  it('solves an exact line with α = 0', () => {
    const w = solveRidge(normalEquations({ x: [0, 1, 2], y: [1, 3, 5], rows: 3, features: 1 }), 0)!;
    expect(w[0]).toBeCloseTo(2, 6);
    expect(w[1]).toBeCloseTo(1, 6);
  });
});

describe('seasonal period', () => {
  it('finds the yearly cycle of monthly air passengers', () => {
    const passengers = csvColumns('air_passengers.csv', ['passengers']).map((r) => r[0] as number);
    expect(seasonalPeriod(passengers, 36)).toBe(12);
    expect(seasonalPeriod(passengers.slice(0, 96), 12)).toBe(12);
  });

  it('finds none in seeded white noise, and the autocorrelation of an alternating series', () => {
    const rng = new Rng(5);
    const noise = Array.from({ length: 200 }, () => rng.float());
    expect(seasonalPeriod(noise, 24)).toBe(1);
    expect(autocorrelation([1, -1, 1, -1, 1, -1], 2)).toBeCloseTo(4 / 6, 12);
  });
});

describe('multinomial logistic regression', () => {
  it('zeroes the gradient of its penalised objective (checked at the optimum by finite differences)', () => {
    const rows = csvColumns('iris.csv', ['sepal_length_cm', 'petal_length_cm']);
    const species = readFileSync(repoPath('datasets/iris.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[4]);
    const names = [...new Set(species)];
    const labels = species.map((s) => names.indexOf(s as string));
    const x = rows.flat();
    const problem = { x, labels, rows: rows.length, features: 2, classes: 3 };
    const alpha = 2;
    const w = fitMultinomialLogistic(problem, alpha);
    const objective = (v: Float64Array) => {
      let total = 0;
      for (let r = 0; r < rows.length; r++) {
        const logits = [0, 1, 2].map(
          (c) => (v[6 + c] as number) + (v[c] as number) * (x[2 * r] as number) + (v[3 + c] as number) * (x[2 * r + 1] as number),
        );
        const max = Math.max(...logits);
        total += max + Math.log(logits.reduce((s, z) => s + Math.exp(z - max), 0)) - (logits[labels[r] as number] as number);
      }
      for (let i = 0; i < 6; i++) total += (alpha / 2) * (v[i] as number) ** 2;
      return total / rows.length;
    };
    for (let i = 0; i < w.length; i++) {
      const h = 1e-5;
      const up = Float64Array.from(w);
      const down = Float64Array.from(w);
      up[i]! += h;
      down[i]! -= h;
      expect(Math.abs((objective(up) - objective(down)) / (2 * h))).toBeLessThan(1e-4);
    }
  });
});
