import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { InputError, StudyFailedError } from '../../src/core/errors.js';
import { autotune, MemoryStorage, openStorage, parseStudy, Study } from '../../src/index.js';
import { gate } from '../helpers/gate.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const sphere = ({ x, y }: { x: number; y: number }) => x * x + y * y;
const space = { x: { float: [-5, 5] as [number, number] }, y: { float: [-5, 5] as [number, number] } };

describe('Study ask/tell without the loop', () => {
  it('hands out numbered trials with nested params and tracks the best', async () => {
    const storage = new MemoryStorage();
    const config = parseStudy(
      {
        name: 'asktell',
        objective: { direction: 'minimize' },
        space: { ...space, model: { choice: { a: { k: { int: [1, 3] } }, b: {} } } },
        search: { seed: 9 },
      },
      undefined,
      { inlineObjective: true },
    );
    const study = await Study.open(storage, config);
    const values: number[] = [];
    for (let i = 0; i < 5; i++) {
      const asked = await study.ask();
      expect(asked?.trial.number).toBe(i);
      const { x, y, model } = asked!.params as { x: number; y: number; model: { type: string } };
      expect(['a', 'b']).toContain(model.type);
      values.push(sphere({ x, y }));
      await study.tell(asked!.trial, values[i]!);
    }
    expect(study.best?.values?.[0]).toBe(Math.min(...values));
    const stored = await storage.listTrials(study.id);
    expect(stored.map((t) => t.state)).toEqual(Array(5).fill('complete'));
    expect(stored[0]?.seed).toBe(study.seedFor(0));
  });
});

describe('search loop budgets', () => {
  it('stops at the target value', async () => {
    const result = await autotune({ space, objective: sphere, trials: 500, targetValue: 1, seed: 1 });
    expect(result.study.stopReason).toBe('target');
    expect(result.best.value).toBeLessThanOrEqual(1);
    expect(result.trials.length).toBeLessThan(500);
  });

  it('stops starting trials after the timeout and lets running ones finish', async () => {
    // The clock the budget reads is faked: the timeout passes while both trials are running, then they finish.
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const [running, release] = [gate(), gate()];
      let started = 0;
      const gated = async ({ x }: { x: number }) => {
        if (++started === 2) running.open();
        await release.opened;
        return x;
      };
      const search = autotune({ space, objective: gated, trials: 10_000, timeoutSeconds: 0.3, parallelism: 2 });
      await running.opened;
      vi.advanceTimersByTime(300);
      release.open();
      const result = await search;
      expect(result.study.stopReason).toBe('timeout');
      expect(result.trials.map((t) => t.state)).toEqual(['complete', 'complete']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fails the study after too many consecutive failures, with their reason', async () => {
    const storage = new MemoryStorage();
    await expect(
      autotune({
        space,
        objective: () => {
          throw new Error('broken objective');
        },
        trials: 50,
        maxConsecutiveFailures: 4,
        storage,
      }),
    ).rejects.toThrow(
      new StudyFailedError('study "study" has no complete trial (stopped: failures); failures: objective threw: broken objective'),
    );
    const [summary] = await storage.listStudies();
    expect(summary).toMatchObject({ state: 'failed', counts: { failed: 4, complete: 0 } });
  });

  it('runs a grid to exhaustion', async () => {
    const result = await autotune({
      space: { a: { choice: [1, 2, 3] }, b: { choice: [10, 20] } },
      objective: ({ a, b }) => a * b,
      sampler: 'grid',
      trials: 100,
    });
    expect(result.study.stopReason).toBe('exhausted');
    expect(result.trials).toHaveLength(6);
    expect(result.best.value).toBe(10);
  });
});

describe('resuming a study', () => {
  const dir = useTempDir();

  it('continues the same study in the same database, with the configurations a single run would have tried', async () => {
    const file = join(dir(), 'resume.db');
    const first = await autotune({ name: 'resume', space, objective: sphere, trials: 10, seed: 3, storage: file });
    const second = await autotune({ name: 'resume', space, objective: sphere, trials: 15, seed: 3, storage: file });
    expect(second.trials.map((t) => t.number)).toEqual([...Array(15).keys()]);
    expect(second.trials.slice(0, 10)).toEqual(first.trials);
    const oneRun = await autotune({ name: 'resume', space, objective: sphere, trials: 15, seed: 3, storage: ':memory:' });
    expect(second.trials.map((t) => t.params)).toEqual(oneRun.trials.map((t) => t.params));
    const storage = await openStorage(file);
    expect((await storage.listStudies()).map((s) => [s.name, s.counts.complete])).toEqual([['resume', 15]]);
    await storage.close();
  });

  it('refuses to mix a changed definition into an existing study, and writes nothing', async () => {
    const file = join(dir(), 'changed.db');
    await autotune({ name: 'same-name', space, objective: sphere, trials: 3, storage: file });
    await expect(
      autotune({ name: 'same-name', space: { x: { float: [0, 1] } }, objective: sphere, trials: 6, storage: file }),
    ).rejects.toThrow(InputError);
    const storage = await openStorage(file);
    const [study] = await storage.listStudies();
    expect(study?.counts.complete).toBe(3);
    await storage.close();
  });
});

describe('objective modules report intermediate values', () => {
  it('stores every reported step of a module objective run in the pool', async () => {
    const storage = new MemoryStorage();
    const result = await autotune({
      space: { x: { float: [-3, 3] }, y: { float: [-3, 3] } },
      objective: repoPath('test/fixtures/objectives/quadratic.mjs'),
      trials: 4,
      parallelism: 2,
      storage,
    });
    for (const trial of result.trials) {
      const steps = await storage.listSteps(trial.id);
      expect(steps.map((s) => s.step)).toEqual([1, 2, 3]);
      expect(steps[2]?.metrics.value).toBeCloseTo((trial.values?.[0] as number) * (4 / 3), 10);
    }
  });
});
