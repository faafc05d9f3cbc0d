import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Study } from '../../src/controller/study.js';
import type { FlatParams, TrialRecord } from '../../src/core/types.js';
import { RandomSampler } from '../../src/samplers/random.js';
import type { SampleContext, Sampler } from '../../src/samplers/sampler.js';
import type { Scheduler } from '../../src/schedulers/scheduler.js';
import { MemoryStorage, PostgresStorage, SqliteStorage, type Storage } from '../../src/storage/index.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { inlineConfig } from '../helpers/studies.js';
import { useTempDir } from '../helpers/tmp.js';

const space = { x: { float: [-5, 5] as [number, number] } };
const config = (name: string) => inlineConfig({ space, seed: 7, trials: 20, name });

/** A random sampler that also runs `during` while it suggests, and keeps what each suggestion was shown. */
function watchingSampler(during: (ctx: SampleContext) => void = () => {}): Sampler & { readonly shown: (readonly TrialRecord[])[] } {
  const random = new RandomSampler();
  const shown: (readonly TrialRecord[])[] = [];
  return {
    name: 'watching',
    shown,
    suggest(ctx): FlatParams | null {
      shown.push(ctx.trials);
      during(ctx);
      return random.suggest(ctx);
    },
  };
}

/** `storage` with every call that writes recorded by name (reads: get…, find…, list…, count…, page…). */
function countingWrites(storage: Storage): { readonly storage: Storage; readonly writes: string[] } {
  const writes: string[] = [];
  const proxy = new Proxy(storage, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (!/^(get|find|list|count|page|close)/.test(String(key))) writes.push(String(key));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { storage: proxy, writes };
}

describe('what ask writes, and when', () => {
  const dir = useTempDir();
  const postgresDatabase = usePostgresDatabases();

  it('samples outside every storage transaction: a sampler writing through a second connection to the file is not held up', async () => {
    const file = join(dir(), 'outside.db');
    const storage = new SqliteStorage(file);
    // Another process's connection, which gives up on a lock after 100 ms instead of the default 10 s.
    const other = new SqliteStorage(file, { busyTimeoutMs: 100 });
    const writes: Promise<void>[] = [];
    try {
      let studyId = 0;
      // better-sqlite3 writes synchronously: inside a write transaction of `storage` this write would wait out the
      // timeout and fail with "database is locked".
      const sampler = watchingSampler((ctx) => writes.push(other.setStudyUserAttr(studyId, `sampled ${ctx.trialNumber}`, true)));
      const study = await Study.open(storage, config('outside'), { sampler });
      studyId = study.id;
      for (let i = 0; i < 3; i++) await study.ask();
      await Promise.all(writes);
      expect(writes).toHaveLength(3);
      expect((await storage.getStudy(study.id)).userAttrs).toEqual({ 'sampled 0': true, 'sampled 1': true, 'sampled 2': true });
    } finally {
      await Promise.allSettled(writes);
      await Promise.all([storage.close(), other.close()]);
    }
  });

  it('on PostgreSQL, two processes asking at once get dense numbers within the budget, and no sampler sees a trial without parameters', async () => {
    const url = await postgresDatabase();
    // Two pools are two processes to the server.
    const storages = await Promise.all([PostgresStorage.open(url), PostgresStorage.open(url)]);
    try {
      const samplers = [watchingSampler(), watchingSampler()];
      const studies = await Promise.all(storages.map((s, i) => Study.open(s, config('pg-shared'), { sampler: samplers[i] })));
      const asked = await Promise.all(Array.from({ length: 24 }, (_, i) => studies[i % 2]!.ask({ maxTrials: 20 })));
      const trials = asked.filter((a) => a !== null).map((a) => a.trial);
      expect(trials.map((t) => t.number).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
      // Each trial's stream is that of the number it got, whichever process reserved it.
      expect(trials.every((t) => t.seed === studies[0]!.seedFor(t.number))).toBe(true);
      const shown = samplers.flatMap((s) => s.shown.flat());
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.every((t) => 'x' in t.params && t.startedAt !== null)).toBe(true);
      expect(await storages[0]!.countTrials(studies[0]!.id, { states: ['running'] })).toBe(20);
    } finally {
      await Promise.all(storages.map((s) => s.close()));
    }
  });

  it('keeps another process’s reservation from the sampler until its parameters are written, and numbers past it', async () => {
    const storage = new MemoryStorage();
    const sampler = watchingSampler();
    const study = await Study.open(storage, config('reserved'), { sampler });
    // Another process has taken number 0 and is still sampling for it.
    const theirs = (await storage.reserveTrial(study.id))!;
    const mine = (await study.ask())!.trial;
    expect(mine.number).toBe(1);
    expect(sampler.shown[0]).toEqual([]);
    expect(study.trials.map((t) => t.number)).toEqual([1]);
    // Once started it is a running trial like any other: pending, with its parameters, for the next suggestion.
    await storage.startTrial(theirs.id, { params: { x: 4.5 }, distributions: mine.distributions, seed: 1 });
    await study.ask();
    expect(sampler.shown[1]!.map((t) => [t.number, t.state, t.params])).toEqual([
      [0, 'running', { x: 4.5 }],
      [1, 'running', mine.params],
    ]);
  });

  it('gives the number back when the sampler has nothing left or throws, leaving no trial behind', async () => {
    const storage = new MemoryStorage();
    let next: () => FlatParams | null = () => null;
    const study = await Study.open(storage, config('nothing-left'), { sampler: { name: 'scripted', suggest: () => next() } });
    expect(await study.ask()).toBeNull();
    next = () => {
      throw new RangeError('sampler bug');
    };
    await expect(study.ask()).rejects.toThrow('sampler bug');
    expect(await storage.countTrials(study.id)).toBe(0);
    next = () => ({ x: 1 });
    expect((await study.ask())!.trial).toMatchObject({ number: 0, params: { x: 1 }, seed: study.seedFor(0) });
  });

  it('reaps the reservation of a process that died before starting it, without queueing a retry of nothing', async () => {
    const storage = new MemoryStorage();
    const sampler = watchingSampler();
    const base = config('dead-reserver');
    const study = await Study.open(storage, { ...base, search: { ...base.search, staleAfterSeconds: 0 } }, { sampler });
    await storage.reserveTrial(study.id);
    expect(await study.reapStale()).toBe(1);
    expect(await storage.countTrials(study.id, { states: ['waiting'] })).toBe(0);
    const asked = (await study.ask())!.trial;
    expect(asked).toMatchObject({ number: 1, state: 'running' });
    expect(sampler.shown[0]).toEqual([]);
    expect((await storage.listTrials(study.id)).map((t) => [t.number, t.state])).toEqual([
      [0, 'failed'],
      [1, 'running'],
    ]);
  });
});

describe('what tell writes', () => {
  /** Stops every trial at its first report, with a reason and a rung, as ASHA does. */
  const stopper: Scheduler = { name: 'stopper', onReport: () => ({ type: 'stop', reason: 'worst of 4 at rung 0', record: { rung: 0 } }) };

  it('finishes a stopped trial in one write, with the scheduler’s reason, its rung and the trainer’s findings', async () => {
    const counted = countingWrites(new MemoryStorage());
    const study = await Study.open(counted.storage, config('pruned'), { scheduler: stopper });
    const { trial } = (await study.ask())!;
    expect(await study.report(trial, 1, { value: 0.5 })).toMatchObject({ type: 'stop' });
    counted.writes.length = 0;
    const pruned = await study.tell(trial, {
      type: 'pruned',
      step: 1,
      value: 0.5,
      metrics: { value: 0.5 },
      backend: 'inline',
      attrs: { diagnoses: ['underfitting'] },
    });
    expect(counted.writes).toEqual(['finishTrial']);
    expect(pruned).toMatchObject({
      state: 'pruned',
      failReason: 'stopper: worst of 4 at rung 0',
      systemAttrs: { rung: 0, diagnoses: ['underfitting'] },
    });
  });

  it('finishes a complete trial in one write, with its findings and its artifact record', async () => {
    // A worker's saved files (the filesystem store keeps them where they are and lists their checksums beside them).
    const root = mkdtempSync(join(tmpdir(), 'autotune-writes-'));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const savedDir = join(root, 'trial-0');
    mkdirSync(savedDir);
    writeFileSync(join(savedDir, 'model.json'), 'x'.repeat(2048));
    const counted = countingWrites(new MemoryStorage());
    const study = await Study.open(counted.storage, config('complete'));
    const { trial } = (await study.ask())!;
    counted.writes.length = 0;
    const outcome = {
      type: 'complete' as const,
      value: 0.25,
      metrics: { value: 0.25 },
      backend: 'cpu',
      attrs: {
        diagnoses: ['overfitting'],
        test_confusion: [
          [3, 1],
          [0, 4],
        ],
        labels: ['no', 'yes'],
      },
      artifact: { uri: savedDir, bytes: 2048 },
    };
    const complete = await study.tell(trial, outcome);
    expect(counted.writes).toEqual(['finishTrial']);
    expect(complete).toMatchObject({ state: 'complete', values: [0.25], backend: 'cpu', systemAttrs: outcome.attrs });
    expect(await counted.storage.listArtifacts(trial.id)).toMatchObject([{ kind: 'trial', uri: savedDir, bytes: 2048 }]);
  });
});
