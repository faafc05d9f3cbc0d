import { describe, expect, it } from 'vitest';
import { jsonChanges } from '../../src/controller/definition.js';
import { InputError } from '../../src/core/errors.js';
import { MemoryStorage, parseStudy, Study } from '../../src/index.js';
import { repoPath } from '../helpers/tmp.js';

const mlpSpace = (units: [number, number]) => ({ model: { choice: { mlp: { units: { int: units, log: true } }, linear: {} } } });

function wineStudy(patch: { space?: object; search?: object; training?: object } = {}) {
  return parseStudy({
    name: 'wine',
    data: { source: repoPath('datasets/wine.csv'), target: 'cultivar', task: 'classification' },
    objective: { metric: 'val_accuracy', direction: 'maximize' },
    space: patch.space ?? mlpSpace([16, 256]),
    // Without baselines, so that `ask` hands out a sampled trial (baselines have their own resume test).
    search: { trials: 4, seed: 3, baselines: false, ...patch.search },
    training: { epochs: 5, ...patch.training },
  });
}

async function refusal(storage: MemoryStorage, config: ReturnType<typeof wineStudy>): Promise<string> {
  const error = await Study.open(storage, config).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as Error).message;
}

describe('resuming a study', () => {
  it('lists changed leaves as path: before → after', () => {
    expect(jsonChanges({ a: { int: [16, 256], log: true }, b: 1 }, { a: { int: [32, 512], log: true }, c: 'x' }, 'space')).toEqual([
      'space.a.int: [16,256] → [32,512]',
      'space.b: 1 → (none)',
      'space.c: (none) → "x"',
    ]);
  });

  it('refuses a changed definition and says what differs', async () => {
    const storage = new MemoryStorage();
    await Study.open(storage, wineStudy());
    expect(await refusal(storage, wineStudy({ space: mlpSpace([32, 512]), training: { epochs: 10 } }))).toBe(
      `a study named "wine" already exists in ${storage.url} with a different definition ` +
        '(space.model.choice.mlp.units.int: [16,256] → [32,512]; training.epochs: 5 → 10); give this one another name, or restore the original',
    );
  });

  it('refuses a new seed for a study that trains models, since the seed draws the data split', async () => {
    const storage = new MemoryStorage();
    await Study.open(storage, wineStudy());
    expect(await refusal(storage, wineStudy({ search: { seed: 4 } }))).toContain('with a different definition (search.seed: 3 → 4)');
  });

  it('applies a changed search block and reports what changed and how many trials the study has', async () => {
    const storage = new MemoryStorage();
    const first = await Study.open(storage, wineStudy());
    expect(first.resumed).toBeNull();
    const asked = await first.ask();
    await first.tell(asked!.trial, 0.9);
    const again = await Study.open(storage, wineStudy({ search: { trials: 10, sampler: 'tpe' } }));
    expect(again.resumed).toEqual({ trials: 1, searchChanges: ['search.sampler: "random" → "tpe"', 'search.trials: 4 → 10'] });
    expect(again.config.search.trials).toBe(10);
  });
});
