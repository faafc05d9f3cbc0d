import { describe, expect, it } from 'vitest';
import { autotune } from '../../src/index.js';
import { checkParams, compileSpace } from '../../src/space/index.js';
import { MIXED_SPACE, mixedLoss, SAMPLER_CONFIGS, SCHEDULER_CONFIGS } from '../helpers/studies.js';

// Every sampler with every scheduler: pairing is configuration, not code.
const pairs = Object.entries(SAMPLER_CONFIGS).flatMap(([s, sampler]) =>
  Object.entries(SCHEDULER_CONFIGS).map(([p, scheduler]) => [`${s} + ${p}`, sampler, scheduler, p] as const),
);

describe('sampler × scheduler matrix on a scripted learning curve', () => {
  it.each(pairs)('%s', async (_name, sampler, scheduler, schedulerName) => {
    const result = await autotune({
      space: MIXED_SPACE,
      objective: async (params, ctx) => {
        const final = mixedLoss(params);
        let value = final;
        for (let step = 1; step <= 9; step++) {
          value = final + 2 * Math.exp(-0.5 * step);
          await ctx.report(step, value);
          if (ctx.shouldStop()) break;
        }
        return value;
      },
      sampler: sampler as never,
      scheduler: scheduler as never,
      trials: 18,
      parallelism: 2,
      seed: 11,
    });
    const space = compileSpace(MIXED_SPACE);
    expect(result.trials.length).toBeGreaterThan(0);
    expect(result.trials.every((t) => t.state === 'complete' || t.state === 'pruned')).toBe(true);
    for (const t of result.trials) expect(checkParams(space, t.params)).toEqual([]);
    const pruned = result.trials.filter((t) => t.state === 'pruned').length;
    if (schedulerName === 'fifo') expect(pruned).toBe(0);
    else expect(pruned).toBeGreaterThan(0);
    expect(result.best.value).toBeLessThan(2.5);
  });
});
