import { describe, expect, it } from 'vitest';
import { StudyFailedError } from '../../src/core/errors.js';
import { autotune, MemoryStorage } from '../../src/index.js';

// An objective returning ±Infinity completes its trial (the value is stored as it came), but the trial is never
// ranked (core/rank.ts): −Infinity when minimizing would otherwise be an unbeatable best.
describe.each(['minimize', 'maximize'] as const)('an objective returning ±Infinity, %s', (direction) => {
  const space = { x: { int: [0, 5] as [number, number] } };
  // The sampler draws x; whatever it draws, each infinity and a finite value all occur within the first trials.
  const objective = ({ x }: { x: number }) => (x <= 1 ? Number.NEGATIVE_INFINITY : x <= 3 ? Number.POSITIVE_INFINITY : x);

  it('completes those trials, stores their values, and makes a finite trial the best', async () => {
    const result = await autotune({ space, objective, direction, trials: 24, seed: 1, sampler: 'random' });
    const infinite = result.trials.filter((t) => t.state === 'complete' && !Number.isFinite(t.values?.[0]));
    expect(new Set(infinite.map((t) => t.values?.[0]))).toEqual(new Set([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]));
    expect(result.best.value).toBe(direction === 'minimize' ? 4 : 5);
  });

  it('refuses to name a best when every complete value is infinite, saying why', async () => {
    const storage = new MemoryStorage();
    await expect(autotune({ space, objective: () => Number.POSITIVE_INFINITY, direction, trials: 3, storage })).rejects.toThrow(
      new StudyFailedError('study "study" has no complete trial with a finite value (stopped: trials)'),
    );
  });
});
