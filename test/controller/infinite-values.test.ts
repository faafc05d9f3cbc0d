import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Direction } from '../../src/core/types.js';
import { autotune, openStorage } from '../../src/index.js';
import { useTempDir } from '../helpers/tmp.js';

// Trial 1 returns −Infinity and trial 2 +Infinity (a diverged loss, a log of zero); the others a finite value.
const objective = ({ x }: { x: number }, { trialNumber }: { trialNumber: number }) =>
  trialNumber === 1 ? Number.NEGATIVE_INFINITY : trialNumber === 2 ? Number.POSITIVE_INFINITY : x * x;

describe.each(['minimize', 'maximize'] as Direction[])('an objective returning ±Infinity (%s)', (direction) => {
  const dir = useTempDir();
  /** Runs the study into a SQLite file; resolves to the result and the trials read back from the file. */
  async function run() {
    const file = join(dir(), 'infinite.db');
    const result = await autotune({ name: 'inf', space: { x: { float: [-2, 2] } }, objective, direction, trials: 6, seed: 2, storage: file });
    const storage = await openStorage(file);
    try {
      return { result, stored: await storage.listTrials((await storage.findStudy('inf'))!.id) };
    } finally {
      await storage.close();
    }
  }

  it('completes the study and stores each infinity as returned', async () => {
    const { result, stored } = await run();
    expect(result.study.state).toBe('complete');
    expect(stored.map((t) => t.state)).toEqual(Array(6).fill('complete'));
    expect(stored.slice(1, 3).map((t) => t.values)).toEqual([[Number.NEGATIVE_INFINITY], [Number.POSITIVE_INFINITY]]);
  });

  // The rule is core/rank.ts's (issue 14): ±Infinity is not rankable, so a finite value beats it in either direction.
  it('never makes an infinity the best while a finite value exists', async () => {
    const { result, stored } = await run();
    const finite = stored.filter((t) => Number.isFinite(t.values?.[0])).map((t) => t.values?.[0] as number);
    expect(result.best.value).toBe((direction === 'minimize' ? Math.min : Math.max)(...finite));
    expect([1, 2]).not.toContain(result.best.number);
  });
});
