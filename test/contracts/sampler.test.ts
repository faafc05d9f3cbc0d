import { describe, expect, it } from 'vitest';
import type { FlatParams } from '../../src/core/types.js';
import { checkParams, compileSpace } from '../../src/space/index.js';
import { MemoryStorage, PostgresStorage, type Storage } from '../../src/storage/index.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { inlineConfig, MIXED_SPACE, mixedLoss, openStudy, SAMPLER_CONFIGS } from '../helpers/studies.js';

/** Runs a study in batches of `parallel` pending trials; returns every suggestion and each batch. */
async function drive(
  sampler: unknown,
  seed: number,
  trials: number,
  parallel: number,
  storage: Storage = new MemoryStorage(),
): Promise<{ all: FlatParams[]; batches: FlatParams[][] }> {
  const study = await openStudy(inlineConfig({ space: MIXED_SPACE, sampler, seed, trials }), storage);
  const all: FlatParams[] = [];
  const batches: FlatParams[][] = [];
  while (all.length < trials) {
    const batch = [];
    for (let i = 0; i < parallel && all.length + batch.length < trials; i++) {
      const asked = await study.ask();
      if (!asked) break;
      batch.push(asked);
    }
    if (batch.length === 0) break;
    batches.push(batch.map((b) => b.trial.params));
    for (const { trial, params } of batch) {
      all.push(trial.params);
      await study.tell(trial, mixedLoss(params as Record<string, unknown>));
    }
  }
  return { all, batches };
}

const postgresDatabase = usePostgresDatabases();

describe.each(Object.entries(SAMPLER_CONFIGS))('Sampler contract: %s', (_name, sampler) => {
  it('suggests only valid configurations: in bounds, on steps, exactly the active branches', async () => {
    const { all } = await drive(sampler, 1, 24, 3);
    expect(all.length).toBeGreaterThanOrEqual(20);
    const space = compileSpace(MIXED_SPACE);
    for (const params of all) expect(checkParams(space, params)).toEqual([]);
    expect(new Set(all.map((p) => p.model)).size).toBe(2);
  });

  it('repeats for the same seed and differs for another', async () => {
    const a = await drive(sampler, 7, 16, 2);
    const b = await drive(sampler, 7, 16, 2);
    const c = await drive(sampler, 8, 16, 2);
    expect(b.all).toEqual(a.all);
    expect(c.all).not.toEqual(a.all);
  });

  it('samples a resumed study exactly as an uninterrupted one', async () => {
    // 64 trials: past the GP's start-up and past its first refits, where a warm start from an earlier fit would show.
    const uninterrupted = await drive(sampler, 5, 64, 1);
    const storage = new MemoryStorage();
    const first = await drive(sampler, 5, 40, 1, storage);
    const resumed = await drive(sampler, 5, 24, 1, storage);
    expect([...first.all, ...resumed.all]).toEqual(uninterrupted.all);
  });

  it('samples a study resumed by another process from PostgreSQL exactly as an uninterrupted one', async () => {
    // What the sampler reads back (numbering, orderings, JSON of params and values) must be SQLite's and memory's.
    const uninterrupted = await drive(sampler, 5, 40, 1);
    const url = await postgresDatabase();
    const first = await PostgresStorage.open(url);
    const before = await drive(sampler, 5, 24, 1, first);
    await first.close();
    const second = await PostgresStorage.open(url);
    const resumed = await drive(sampler, 5, 16, 1, second);
    await second.close();
    expect([...before.all, ...resumed.all]).toEqual(uninterrupted.all);
  });

  it('never suggests the same configuration twice among trials pending at once', async () => {
    const { batches } = await drive(sampler, 3, 24, 4);
    for (const batch of batches) expect(new Set(batch.map((p) => JSON.stringify(p))).size).toBe(batch.length);
  });
});
