import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Study } from '../../src/controller/study.js';
import type { TrialRecord } from '../../src/core/types.js';
import { createSampler } from '../../src/samplers/create.js';
import type { Sampler } from '../../src/samplers/sampler.js';
import { compileSpace } from '../../src/space/compile.js';
import { SqliteStorage, type Storage } from '../../src/storage/index.js';
import { inlineConfig } from '../helpers/studies.js';
import { useTempDir } from '../helpers/tmp.js';

// Two processes on one SQLite file, as two controllers each with its own connection. Each acts in an explicit
// order (ask, report, tell), so what one must see of the other's writes is fixed, with no timing involved.
describe('one study shared by two processes through storage', () => {
  const dir = useTempDir();
  const space = { x: { float: [-5, 5] as [number, number] } };

  async function twoProcesses(
    name: string,
    search: { sampler?: unknown; scheduler?: unknown },
    sampler?: (config: ReturnType<typeof inlineConfig>) => Sampler,
  ): Promise<{ a: Study; b: Study; storages: Storage[]; config: ReturnType<typeof inlineConfig> }> {
    const file = join(dir(), `${name}.db`);
    const config = inlineConfig({ space, ...search, seed: 3, trials: 50, name });
    const storages = [new SqliteStorage(file), new SqliteStorage(file)];
    const [a, b] = await Promise.all(storages.map((s) => Study.open(s, config, sampler ? { sampler: sampler(config) } : {})));
    return { a: a as Study, b: b as Study, storages, config };
  }

  it('ASHA in one process promotes and stops using the rungs the other process reached', async () => {
    const { a, b, storages, config } = await twoProcesses('asha-shared', {
      scheduler: { type: 'asha', minEpochs: 1, maxEpochs: 27, eta: 3 },
    });
    try {
      // Process A's three trials reach rung 0 (step 1) after B has opened the study; each beats those before it.
      for (const value of [0.3, 0.2, 0.1]) {
        const { trial } = (await a.ask())!;
        expect((await a.report(trial, 1, { value: value })).type).toBe('continue');
      }
      // In B, 0.9 is the worst of four at rung 0: stopped, though it is the only value B itself reported there.
      const worse = (await b.ask())!.trial;
      expect(await b.report(worse, 1, { value: 0.9 })).toMatchObject({ type: 'stop', record: { rung: 0 } });
      // The pruned trial stores the scheduler's reason (rule, rung, step), not a bare "stopped".
      const pruned = await b.tell(worse, { type: 'pruned', step: 1, value: 0.9, metrics: { value: 0.9 }, backend: 'inline' });
      expect(pruned.failReason).toMatch(/^asha: not in the top 1\/3 of \d+ at rung 0 \(step 1\)$/);
      expect((await storages[0]!.getTrial(worse.id)).failReason).toBe(pruned.failReason);
      // 0.05 beats A's three: promoted to rung 1 in B.
      const better = (await b.ask())!.trial;
      expect(await b.report(better, 1, { value: 0.05 })).toMatchObject({ type: 'continue', record: { rung: 1 } });
      // And A decides with B's steps in turn.
      const next = (await a.ask())!.trial;
      await a.report(next, 1, { value: 0.5 });
      expect([...a.schedulerContext().history.valuesAt(1).values()].sort()).toEqual([0.05, 0.1, 0.2, 0.3, 0.5, 0.9]);
      // A third process opened now starts from the same steps and trials.
      const c = await Study.open(storages[1]!, config);
      expect(c.schedulerContext().history.valuesAt(1)).toEqual(a.schedulerContext().history.valuesAt(1));
      expect(c.trials).toEqual(a.trials);
    } finally {
      await Promise.all(storages.map((s) => s.close()));
    }
  });

  it('TPE in process B learns the values of trials that finished in process A', async () => {
    const seen: TrialRecord[][] = [];
    const spy = (config: ReturnType<typeof inlineConfig>): Sampler => {
      const tpe = createSampler(config.search, compileSpace(config.space));
      return {
        name: tpe.name,
        suggest: (ctx) => {
          seen.push([...ctx.trials]);
          return tpe.suggest(ctx);
        },
      };
    };
    const { a, b, storages } = await twoProcesses('tpe-shared', { sampler: { type: 'tpe', startupTrials: 2, constantLiar: true } }, spy);
    try {
      const inA = (await a.ask())!.trial;
      await b.ask(); // B now knows A's trial 0, running.
      await a.tell(inA, 1.25);
      seen.length = 0;
      await b.ask();
      const known = seen.at(-1)?.find((t) => t.number === inA.number);
      expect(known).toMatchObject({ state: 'complete', values: [1.25] });
      expect(b.best?.number).toBe(inA.number);
    } finally {
      await Promise.all(storages.map((s) => s.close()));
    }
  });
});
