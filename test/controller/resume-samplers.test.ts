import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autotune } from '../../src/index.js';
import { useTempDir } from '../helpers/tmp.js';

const space = { x: { float: [-5, 5] as [number, number] }, y: { float: [-5, 5] as [number, number] }, k: { choice: ['a', 'b', 'c'] } };
const objective = ({ x, y, k }: { x: number; y: number; k: string }) => (x - 1) ** 2 + (y + 2) ** 2 + (k === 'b' ? 0 : 1);

// The model-based samplers learn from the trials they read back: a resumed study must read back exactly what an
// uninterrupted run held in memory, or its suggestions after the restart drift away from that run's. Start-up is 4
// trials of the 8 before the restart, so every trial after it comes from the model.
const samplers = {
  tpe: { type: 'tpe', startupTrials: 4 },
  'tpe-multivariate': { type: 'tpe', multivariate: true, startupTrials: 4 },
  gp: { type: 'gp', startupTrials: 4, candidates: 64 },
} as const;

describe.each(Object.entries(samplers))('resuming a %s study', (name, sampler) => {
  const dir = useTempDir();

  it('samples, after the restart, exactly what one uninterrupted run samples', async () => {
    const file = join(dir(), `${name}.db`);
    const first = await autotune({ name, space, objective, sampler, trials: 8, seed: 11, storage: file });
    const resumed = await autotune({ name, space, objective, sampler, trials: 14, seed: 11, storage: file });
    expect(resumed.study.resumed?.trials).toBe(8);
    expect(resumed.trials.slice(0, 8)).toEqual(first.trials);
    const oneRun = await autotune({ name, space, objective, sampler, trials: 14, seed: 11, storage: ':memory:' });
    expect(resumed.trials.map((t) => t.params)).toEqual(oneRun.trials.map((t) => t.params));
  });
});
