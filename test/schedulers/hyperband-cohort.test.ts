import { describe, expect, it } from 'vitest';
import { bracketOf } from '../../src/core/annotations.js';
import { MemoryStorage } from '../../src/index.js';
import { HyperbandScheduler } from '../../src/schedulers/hyperband.js';
import { HYPERBAND, runHyperbandStudy } from '../helpers/hyperband-study.js';

describe('Hyperband placement and cohort, on the trials of a real search', () => {
  it('stores each trial in the bracket placement draws; a cohort is the bracket, or every trial when it has < 10', async () => {
    const seed = 4;
    const { trials } = await runHyperbandStudy(new MemoryStorage(), { name: 'cohort', trials: 40, seed });
    const scheduler = new HyperbandScheduler(HYPERBAND, seed);
    expect(scheduler.brackets).toBe(3);
    for (const t of trials) expect(bracketOf(t), `trial ${t.number}`).toBe(scheduler.placement(t.number).bracket);

    const sizes = [0, 1, 2].map((b) => trials.filter((t) => bracketOf(t) === b).length);
    // The run must show both cases, or this test would pass without checking one of them.
    expect(
      sizes.some((n) => n >= 10),
      `bracket sizes ${sizes}`,
    ).toBe(true);
    expect(
      sizes.some((n) => n > 0 && n < 10),
      `bracket sizes ${sizes}`,
    ).toBe(true);
    for (const [bracket, size] of sizes.entries()) {
      const cohort = scheduler.cohort(trials, { bracket }).map((t) => t.number);
      const members = trials.filter((t) => bracketOf(t) === bracket).map((t) => t.number);
      expect(cohort, `bracket ${bracket} (${size} trials)`).toEqual(size >= 10 ? members : trials.map((t) => t.number));
    }
  });
});
