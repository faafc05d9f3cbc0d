import { describe, expect, it } from 'vitest';
import { autotune } from '../../src/index.js';

const branin = ({ x, y }: { x: number; y: number }) =>
  (y - (5.1 / (4 * Math.PI ** 2)) * x ** 2 + (5 / Math.PI) * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
const space = { x: { float: [-5, 10] as [number, number] }, y: { float: [0, 15] as [number, number] } };
const OPTIMUM = 0.397887;

async function regret(sampler: unknown, seed: number, trials: number): Promise<number> {
  const r = await autotune({ space, objective: branin, sampler: sampler as 'tpe', trials, seed });
  return r.best.value - OPTIMUM;
}

describe('sampler quality on Branin (seeded)', () => {
  it('TPE gets below 0.5 regret within 60 trials for at least 8 of 10 seeds', async () => {
    const regrets = await Promise.all([...Array(10).keys()].map((seed) => regret('tpe', seed, 60)));
    expect(regrets.filter((r) => r < 0.5).length, regrets.join(', ')).toBeGreaterThanOrEqual(8);
    // and it beats random search on the same budget for most seeds
    const random = await Promise.all([...Array(10).keys()].map((seed) => regret('random', seed, 60)));
    expect(regrets.filter((r, i) => r < (random[i] as number)).length).toBeGreaterThanOrEqual(7);
  });

  it('the Gaussian process gets below 0.01 regret within 40 trials for 3 of 3 seeds', async () => {
    const regrets = await Promise.all([0, 1, 2].map((seed) => regret('gp', seed, 40)));
    expect(Math.max(...regrets), regrets.join(', ')).toBeLessThan(0.01);
  });
});
