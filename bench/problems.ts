// Black-box test problems: the four of shared/reference/optuna.md, defined exactly as there, and two of ours.
import type { SpaceSpec } from '../src/space/index.js';

export interface Problem {
  readonly name: string;
  readonly space: SpaceSpec;
  readonly optimum: number;
  readonly f: (p: Record<string, number | string | boolean>) => number;
}

const num = (p: Record<string, unknown>, k: string) => p[k] as number;

export const branin: Problem = {
  name: 'branin',
  space: { x0: { float: [-5, 10] }, x1: { float: [0, 15] } },
  optimum: 0.397887,
  f: (p) => {
    const x = num(p, 'x0');
    const y = num(p, 'x1');
    return (y - (5.1 / (4 * Math.PI ** 2)) * x ** 2 + (5 / Math.PI) * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
  },
};

const box = (d: number, low: number, high: number): SpaceSpec =>
  Object.fromEntries(Array.from({ length: d }, (_, i) => [`x${i}`, { float: [low, high] as [number, number] }]));
const vector = (p: Record<string, unknown>, d: number) => Array.from({ length: d }, (_, i) => num(p, `x${i}`));

export const rosenbrock4: Problem = {
  name: 'rosenbrock4',
  space: box(4, -5, 10),
  optimum: 0,
  f: (p) => {
    const x = vector(p, 4);
    let sum = 0;
    for (let i = 0; i < 3; i++) sum += 100 * ((x[i + 1] as number) - (x[i] as number) ** 2) ** 2 + (1 - (x[i] as number)) ** 2;
    return sum;
  },
};

export const ackley5: Problem = {
  name: 'ackley5',
  space: box(5, -32.768, 32.768),
  optimum: 0,
  f: (p) => {
    const x = vector(p, 5);
    const d = x.length;
    const s1 = x.reduce((s, v) => s + v * v, 0);
    const s2 = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0);
    return -20 * Math.exp(-0.2 * Math.sqrt(s1 / d)) - Math.exp(s2 / d) + 20 + Math.E;
  },
};

export const logscale: Problem = {
  name: 'logscale',
  space: { lr: { float: [1e-5, 1], log: true }, wd: { float: [1e-7, 1e-1], log: true }, c: { float: [1e-3, 1e3], log: true } },
  optimum: 0,
  f: (p) => (Math.log10(num(p, 'lr')) + 2.5) ** 2 + 0.5 * (Math.log10(num(p, 'wd')) + 4) ** 2 + 0.25 * (Math.log10(num(p, 'c')) - 1.3) ** 2,
};

/**
 * Ours, mixed: a training-like response with a categorical optimizer (each with its own best learning rate), an
 * integer layer count and a stepped dropout. Minimum 0 at adam, lr 10^-2.5, layers 3, dropout 0.2.
 */
export const mixed: Problem = {
  name: 'mixed',
  space: {
    optimizer: { choice: ['sgd', 'adam', 'rmsprop'] },
    lr: { float: [1e-5, 1], log: true },
    layers: { int: [1, 8] },
    dropout: { float: [0, 0.6], step: 0.05 },
  },
  optimum: 0,
  f: (p) => {
    const best = { sgd: -1.3, adam: -2.5, rmsprop: -3.1 }[p.optimizer as 'sgd' | 'adam' | 'rmsprop'];
    const penalty = { sgd: 0.4, adam: 0, rmsprop: 0.15 }[p.optimizer as 'sgd' | 'adam' | 'rmsprop'];
    return penalty + (Math.log10(num(p, 'lr')) - best) ** 2 + 0.1 * (num(p, 'layers') - 3) ** 2 + 4 * (num(p, 'dropout') - 0.2) ** 2;
  },
};

/** Ours, 6-d: the Hartmann-6 function on [0, 1]^6 (minimum −3.32237), a standard smooth multimodal benchmark. */
export const hartmann6: Problem = {
  name: 'hartmann6',
  space: box(6, 0, 1),
  optimum: -3.32237,
  f: (p) => {
    const x = vector(p, 6);
    const alpha = [1.0, 1.2, 3.0, 3.2];
    const A = [
      [10, 3, 17, 3.5, 1.7, 8],
      [0.05, 10, 17, 0.1, 8, 14],
      [3, 3.5, 1.7, 10, 17, 8],
      [17, 8, 0.05, 10, 0.1, 14],
    ];
    const P = [
      [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
      [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
      [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
      [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
    ];
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += A[i]![j]! * ((x[j] as number) - P[i]![j]!) ** 2;
      sum += alpha[i]! * Math.exp(-inner);
    }
    return -sum;
  },
};

export const PROBLEMS: readonly Problem[] = [branin, rosenbrock4, ackley5, logscale, mixed, hartmann6];

/** The sampler configurations the benchmarks compare, by the names used in bench/RESULTS.md. */
export const BENCH_SAMPLERS: Record<string, unknown> = {
  random: 'random',
  qmc: 'qmc',
  tpe: 'tpe',
  'tpe-mv': { type: 'tpe', multivariate: true },
  gp: 'gp',
};
