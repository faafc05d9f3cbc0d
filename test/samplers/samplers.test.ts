import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { FlatParams } from '../../src/core/types.js';
import { GridSampler, RandomSampler, type Sampler } from '../../src/samplers/index.js';
import { compileSpace, nestParams, parseStudy, type SpaceSpec } from '../../src/space/index.js';

const space: SpaceSpec = {
  lr: { float: [1e-4, 1e-1], log: true },
  dropout: { float: [0, 0.5], step: 0.1 },
  units: { int: [16, 512], log: true },
  batchSize: { choice: [16, 32, 64] },
  epochs: 10,
  model: {
    choice: {
      cnn: { blocks: { int: [1, 3] }, head: { choice: { dense: { units: { int: [8, 64] } }, pool: {} } } },
      mlp: { layers: { int: [1, 4] } },
    },
  },
};

function suggestions(sampler: Sampler, spec: SpaceSpec, seed: number, n: number): FlatParams[] {
  const compiled = compileSpace(spec);
  const out: FlatParams[] = [];
  for (let i = 0; i < n; i++) {
    const params = sampler.suggest({
      space: compiled,
      directions: ['minimize'],
      trials: [],
      trialNumber: i,
      rng: new Rng(seed).fork('trial', i),
    });
    if (params === null) break;
    out.push(params);
  }
  return out;
}

describe('RandomSampler', () => {
  it('repeats its configurations for the same seed and changes them for another', () => {
    const a = suggestions(new RandomSampler(), space, 42, 20);
    expect(suggestions(new RandomSampler(), space, 42, 20)).toEqual(a);
    const b = suggestions(new RandomSampler(), space, 43, 20);
    expect(b).not.toEqual(a);
    expect(b.filter((p, i) => p.lr === a[i]?.lr)).toHaveLength(0);
  });

  it('respects bounds, steps, integers, constants and log scale', () => {
    const draws = suggestions(new RandomSampler(), space, 7, 2000);
    for (const p of draws) {
      expect(p.lr).toBeGreaterThanOrEqual(1e-4);
      expect(p.lr).toBeLessThanOrEqual(1e-1);
      expect([0, 0.1, 0.2, 0.3, 0.4, 0.5]).toContain(p.dropout);
      expect(Number.isInteger(p.units)).toBe(true);
      expect([16, 32, 64]).toContain(p.batchSize);
      expect(p.epochs).toBe(10);
    }
    // Log-uniform: about a third of the draws in each decade of [1e-4, 1e-1].
    const decade = draws.filter((p) => (p.lr as number) < 1e-3).length / draws.length;
    expect(decade).toBeGreaterThan(0.28);
    expect(decade).toBeLessThan(0.39);
    const units = draws.map((p) => p.units as number);
    expect(Math.min(...units)).toBe(16);
    expect(Math.max(...units)).toBe(512);
  });

  it('samples only the parameters of active branches, nested to any depth', () => {
    const draws = suggestions(new RandomSampler(), space, 3, 300);
    for (const p of draws) {
      const keys = Object.keys(p);
      if (p.model === 'mlp') {
        expect(keys.filter((k) => k.startsWith('model.'))).toEqual(['model.mlp.layers']);
      } else {
        expect(keys).toContain('model.cnn.blocks');
        expect(keys.includes('model.cnn.head.dense.units')).toBe(p['model.cnn.head'] === 'dense');
      }
    }
    expect(new Set(draws.map((p) => p['model.cnn.head']))).toEqual(new Set(['dense', 'pool', undefined]));
    const nested = nestParams(compileSpace(space), draws.find((p) => p['model.cnn.head'] === 'dense') as FlatParams);
    expect(nested.model).toMatchObject({ type: 'cnn', head: { type: 'dense', units: expect.any(Number) } });
  });
});

describe('GridSampler', () => {
  it('visits every combination once, in a seeded order, then stops', () => {
    const grid: SpaceSpec = {
      opt: { choice: ['sgd', 'adam'] },
      lr: { float: [0.001, 0.1], log: true },
      model: { choice: { a: { n: { int: [1, 3] } }, b: {} } },
    };
    const config = parseStudy({
      name: 'g',
      objective: { module: 'x.mjs', direction: 'minimize' },
      space: grid,
      search: { sampler: 'grid', gridResolution: 3, seed: 5 },
    });
    const sampler = new GridSampler(compileSpace(config.space), { resolution: 3, seed: 5 });
    // 2 optimizers × 3 learning rates × (3 values of n + branch b) = 24
    expect(sampler.size).toBe(24);
    const points = suggestions(sampler, grid, 5, 100);
    expect(points).toHaveLength(24);
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(24);
    expect(new Set(points.map((p) => p.lr))).toEqual(new Set([0.001, 0.01, 0.1]));
    const again = suggestions(new GridSampler(compileSpace(config.space), { resolution: 3, seed: 5 }), grid, 5, 100);
    expect(again).toEqual(points);
    const reordered = suggestions(new GridSampler(compileSpace(config.space), { resolution: 3, seed: 6 }), grid, 6, 100);
    expect(reordered).not.toEqual(points);
  });
});
