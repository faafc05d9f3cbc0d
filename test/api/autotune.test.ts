import { describe, expect, expectTypeOf, it } from 'vitest';
import { autotune, type AutotuneResult, type BestTrial, type Params } from '../../src/index.js';

const branin = ({ x, y }: { x: number; y: number }) =>
  (y - (5.1 / (4 * Math.PI ** 2)) * x ** 2 + (5 / Math.PI) * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;

describe('autotune()', () => {
  it('runs the README example: random search on Branin gets below 3.0 in 100 trials', async () => {
    const r = await autotune({
      space: { x: { float: [-5, 10] }, y: { float: [0, 15] } },
      objective: branin,
      direction: 'minimize',
      sampler: 'random',
      trials: 100,
      seed: 1,
      storage: ':memory:',
    });
    expect(r.best.value).toBeLessThan(3.0);
    expect(r.best.value).toBeGreaterThanOrEqual(0.397887);
    expect(r.trials).toHaveLength(100);
    expect(r.best.value).toBe(branin(r.best.params as { x: number; y: number }));
    expect(r.trials.every((t) => t.backend === 'inline')).toBe(true);
  });

  it('is typed: resolves to study, best and trials', () => {
    expectTypeOf(autotune).returns.resolves.toEqualTypeOf<AutotuneResult>();
    expectTypeOf<AutotuneResult['best']>().toEqualTypeOf<BestTrial>();
    expectTypeOf<BestTrial['value']>().toBeNumber();
    expectTypeOf<BestTrial['params']>().toEqualTypeOf<Params>();
  });

  it('rejects a bad space with the JSON path, before running anything', async () => {
    let calls = 0;
    await expect(autotune({ space: { x: { float: [1, 0] } }, objective: () => ++calls })).rejects.toThrow(
      /space\.x\.float: lower bound must not exceed upper bound/,
    );
    expect(calls).toBe(0);
  });

  it('passes the trial context: seeded rng and report/shouldStop', async () => {
    const seen: number[] = [];
    const r = await autotune({
      space: { x: { float: [0, 1] } },
      objective: async ({ x }, ctx) => {
        seen.push(ctx.rng.float());
        await ctx.report(1, x);
        return ctx.shouldStop() ? Number.POSITIVE_INFINITY : x;
      },
      trials: 3,
      seed: 2,
    });
    const again: number[] = [];
    await autotune({ space: { x: { float: [0, 1] } }, objective: (_p, ctx) => (again.push(ctx.rng.float()), 0), trials: 3, seed: 2 });
    expect(again).toEqual(seen);
    expect(r.trials.every((t) => t.state === 'complete' && t.lastStep === 1)).toBe(true);
  });
});
