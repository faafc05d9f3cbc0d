import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/core/errors.js';
import type { Distribution, TrialRecord, TrialState } from '../../src/core/types.js';
import { MemoryStorage, PostgresStorage, SqliteStorage, type Storage } from '../../src/storage/index.js';
import { defaultReadModels } from '../../src/storage/read-models.js';
import { Rng } from '../../src/core/rng.js';
import { isReservation } from '../../src/storage/storage.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { repoPath } from '../helpers/tmp.js';

// A fresh database per test on the run's PostgreSQL server (test/helpers/postgres-global.ts).
const postgresDatabase = usePostgresDatabases();

/** Opens one more connection to the same store: another process, as far as the database can tell. */
type Connect = () => Promise<Storage>;

// One contract, every implementation: what a test here asserts, every Storage must do. Each gives a way to connect
// to one fresh store (memory has one connection only: its "other process" is itself).
const implementations: [string, (dir: string) => Promise<Connect>][] = [
  [
    'memory',
    async () => {
      const storage = new MemoryStorage();
      return async () => storage;
    },
  ],
  ['sqlite', async (dir) => async () => new SqliteStorage(join(dir, 'contract.db'))],
  [
    'postgres',
    async () => {
      const url = await postgresDatabase();
      return () => PostgresStorage.open(url);
    },
  ],
];

/** A staleness cutoff, and a heartbeat time (1970) older than it by far: written by the test, so nothing waits. */
const STALE_AFTER_MS = 60_000;
const LONG_AGO = 1_000_000;

const distributions: Record<string, Distribution> = {
  lr: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
  layers: { kind: 'int', low: 1, high: 4, log: false, step: 1 },
};

describe.each(implementations)('Storage contract: %s', (_name, create) => {
  let dir: string;
  let storage: Storage;
  let connections: Storage[];
  /** Another connection to the store `storage` is on, closed after the test. */
  const connect = async (): Promise<Storage> => {
    const next = await connectTo();
    connections.push(next);
    return next;
  };
  let connectTo: Connect;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autotune-storage-'));
    connections = [];
    connectTo = await create(dir);
    storage = await connect();
  });
  afterEach(async () => {
    for (const c of connections) await c.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const newStudy = (name = 's') => storage.createStudy({ name, directions: ['maximize'], config: { space: { a: 1 } } });
  /** A study whose unfinished trials last beat at the given times, written through importStudy (not by waiting). */
  const studyWithHeartbeats = (trials: [TrialState, number | null][]) =>
    storage.importStudy({
      study: {
        name: 'beats',
        directions: ['maximize'],
        config: { space: { a: 1 } },
        state: 'running',
        userAttrs: {},
        systemAttrs: {},
        createdAt: LONG_AGO,
      },
      note: { text: '', version: 0, updatedAt: null },
      stepMetrics: [],
      trials: trials.map(([state, heartbeatAt], number) => ({
        trial: {
          number,
          state,
          params: {},
          distributions: {},
          values: null,
          metrics: {},
          seed: number,
          backend: null,
          failReason: null,
          lastStep: null,
          userAttrs: {},
          systemAttrs: {},
          createdAt: LONG_AGO,
          startedAt: heartbeatAt,
          finishedAt: null,
          heartbeatAt,
        },
        steps: [],
        artifacts: [],
      })),
    });

  it('creates, finds and lists studies; names are unique', async () => {
    const study = await newStudy('alpha');
    expect(study).toMatchObject({ name: 'alpha', directions: ['maximize'], state: 'running', config: { space: { a: 1 } } });
    expect((await storage.findStudy('alpha'))?.id).toBe(study.id);
    expect(await storage.findStudy('missing')).toBeNull();
    await expect(newStudy('alpha')).rejects.toThrow(StorageError);
    await newStudy('beta');
    expect((await storage.listStudies()).map((s) => s.name)).toEqual(['alpha', 'beta']);
  });

  it('numbers trials densely per study and derives seeds from the number', async () => {
    const a = await newStudy('a');
    const b = await newStudy('b');
    const seeds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = await storage.createTrial(a.id, { state: 'running', params: { lr: 0.01 }, distributions, seed: (n) => 1000 + n });
      seeds.push(t.seed);
    }
    const other = await storage.createTrial(b.id, { state: 'running', params: {}, distributions: {}, seed: 5 });
    expect((await storage.listTrials(a.id)).map((t) => t.number)).toEqual([0, 1, 2]);
    expect(seeds).toEqual([1000, 1001, 1002]);
    expect(other.number).toBe(0);
  });

  it('reserves distinct dense numbers within a trial budget however many reserve at once, and counts trials without reading them', async () => {
    const study = await newStudy();
    const reserved = await Promise.all([1, 2, 3, 4, 5].map(() => storage.reserveTrial(study.id, { maxTrials: 3 })));
    const taken = reserved.filter((r) => r !== null);
    expect(taken.map((r) => r.number).sort()).toEqual([0, 1, 2]);
    expect(new Set(taken.map((r) => r.id)).size).toBe(3);
    expect(reserved.filter((r) => r === null)).toHaveLength(2);
    // The budget counts reservations: a created trial (a retry) does not wait for them to start.
    expect(await storage.reserveTrial(study.id, { maxTrials: 3 })).toBeNull();
    expect(await storage.countTrials(study.id)).toBe(3);
    const first = taken.find((r) => r.number === 0) as { id: number };
    await storage.startTrial(first.id, { params: { lr: 0.01 }, distributions, seed: 7 });
    await storage.finishTrial(first.id, { state: 'complete', values: [1] });
    expect(await storage.countTrials(study.id, { states: ['running'] })).toBe(2);
    expect(await storage.countTrials(study.id, { states: ['complete', 'failed'] })).toBe(1);
    expect(await storage.countTrials(study.id, { states: [] })).toBe(0);
    await expect(storage.countTrials(999)).rejects.toThrow(StorageError);
    await expect(storage.reserveTrial(999)).rejects.toThrow(StorageError);
  });

  it('counts no reservation that ended without being started against the budget', async () => {
    const study = await newStudy();
    const [first, second] = [
      await storage.reserveTrial(study.id, { maxTrials: 2 }),
      await storage.reserveTrial(study.id, { maxTrials: 2 }),
    ];
    expect(await storage.reserveTrial(study.id, { maxTrials: 2 })).toBeNull();
    // Withdrawn with a trial after it: failed, kept (numbers stay dense), and its place in the budget is free.
    await storage.withdrawTrial(first!.id, 'sampler error: bug');
    expect((await storage.reserveTrial(study.id, { maxTrials: 2 }))?.number).toBe(2);
    expect(await storage.reserveTrial(study.id, { maxTrials: 2 })).toBeNull();
    // Reaped (its process died while sampling): likewise.
    await storage.failStaleTrials(study.id, 0, 'interrupted');
    expect((await storage.getTrial(second!.id)).state).toBe('failed');
    const ran = await storage.reserveTrial(study.id, { maxTrials: 2 });
    expect(ran?.number).toBe(3);
    // A trial that started and then failed counts, as any trial that ran.
    await storage.startTrial(ran!.id, { params: {}, distributions: {}, seed: 3 });
    await storage.finishTrial(ran!.id, { state: 'failed', reason: 'objective threw' });
    expect(await storage.reserveTrial(study.id, { maxTrials: 1 })).toBeNull();
    expect(await storage.countTrials(study.id)).toBe(4);
  });

  it('keeps a reservation running without parameters or start until started, then stores what was sampled in one write', async () => {
    const study = await newStudy();
    const reservation = await storage.reserveTrial(study.id);
    const held = await storage.getTrial(reservation!.id);
    expect(held).toMatchObject({ number: 0, state: 'running', params: {}, startedAt: null });
    expect(held.heartbeatAt).not.toBeNull();
    expect(isReservation(held)).toBe(true);
    const started = await storage.startTrial(reservation!.id, {
      params: { lr: 0.01, layers: 2 },
      distributions,
      seed: 1234,
      systemAttrs: { bracket: 1, max_step: 9 },
    });
    expect(started).toMatchObject({
      id: reservation!.id,
      number: 0,
      state: 'running',
      params: { lr: 0.01, layers: 2 },
      distributions,
      seed: 1234,
      systemAttrs: { bracket: 1, max_step: 9 },
    });
    expect(started.startedAt).not.toBeNull();
    expect(isReservation(started)).toBe(false);
    expect(await storage.getTrial(started.id)).toEqual(started);
    // Started once: a second start (or a start of any trial that is not a reservation) writes nothing.
    await expect(storage.startTrial(started.id, { params: { lr: 0.5 }, distributions, seed: 1 })).rejects.toThrow(/not a reservation/);
    const created = await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 0 });
    await expect(storage.startTrial(created.id, { params: {}, distributions: {}, seed: 0 })).rejects.toThrow(/not a reservation/);
    expect((await storage.getTrial(started.id)).params).toEqual({ lr: 0.01, layers: 2 });
    await expect(storage.startTrial(999_999, { params: {}, distributions: {}, seed: 0 })).rejects.toThrow(StorageError);
  });

  it('reaps a reservation whose process died as stale; it cannot be started afterwards', async () => {
    const study = await newStudy();
    const reservation = await storage.reserveTrial(study.id);
    const reaped = await storage.failStaleTrials(study.id, 0, 'interrupted');
    expect(reaped.map((t) => t.id)).toEqual([reservation!.id]);
    expect(isReservation(reaped[0]!)).toBe(true);
    await expect(storage.startTrial(reservation!.id, { params: { lr: 0.1 }, distributions, seed: 1 })).rejects.toThrow(
      /finished trials cannot change/,
    );
    expect(await storage.getTrial(reservation!.id)).toMatchObject({ state: 'failed', failReason: 'interrupted', params: {} });
  });

  it('gives a withdrawn last number back whole, and fails a withdrawn one that others came after', async () => {
    const study = await newStudy();
    const last = await storage.reserveTrial(study.id);
    await storage.withdrawTrial(last!.id, 'nothing left to sample');
    expect(await storage.countTrials(study.id)).toBe(0);
    await expect(storage.getTrial(last!.id)).rejects.toThrow(StorageError);
    const again = await storage.reserveTrial(study.id);
    expect(again!.number).toBe(0);
    const after = await storage.reserveTrial(study.id);
    await storage.withdrawTrial(again!.id, 'nothing left to sample');
    expect(await storage.getTrial(again!.id)).toMatchObject({ number: 0, state: 'failed', failReason: 'nothing left to sample' });
    expect((await storage.listTrials(study.id)).map((t) => t.number)).toEqual([0, 1]);
    expect(await storage.listTrialsChangedSince(study.id, 0)).toMatchObject({ items: [{ number: 1 }, { number: 0, state: 'failed' }] });
    await storage.startTrial(after!.id, { params: {}, distributions: {}, seed: 0 });
    await expect(storage.withdrawTrial(after!.id, 'x')).rejects.toThrow(/not a reservation/);
    await expect(storage.withdrawTrial(again!.id, 'x')).rejects.toThrow(StorageError);
  });

  it('finishes a trial with its attributes and artifact records in one write, and writes none of them twice', async () => {
    const study = await newStudy();
    const trial = await storage.createTrial(study.id, {
      state: 'running',
      params: {},
      distributions: {},
      seed: 0,
      systemAttrs: { bracket: 1, rung: 0 },
    });
    const finished = await storage.finishTrial(trial.id, {
      state: 'pruned',
      values: [0.4],
      metrics: { loss: 0.4 },
      backend: 'cpu',
      reason: 'asha: not in the top 1/3 of 4 at rung 0 (step 1)',
      systemAttrs: { diagnoses: ['overfitting'], rung: 1 },
      artifacts: [
        { kind: 'trial', uri: 'file:///a/trial-0', bytes: 10 },
        { kind: 'model', uri: 'file:///a/model.json' },
      ],
    });
    expect(finished).toMatchObject({
      state: 'pruned',
      values: [0.4],
      failReason: 'asha: not in the top 1/3 of 4 at rung 0 (step 1)',
      backend: 'cpu',
    });
    // Merged as setTrialSystemAttr merges: an existing key keeps its place, a new one goes last.
    expect(Object.entries(finished.systemAttrs)).toEqual([
      ['bracket', 1],
      ['rung', 1],
      ['diagnoses', ['overfitting']],
    ]);
    expect(await storage.getTrial(trial.id)).toEqual(finished);
    expect(await storage.listArtifacts(trial.id)).toMatchObject([
      { kind: 'trial', uri: 'file:///a/trial-0', bytes: 10 },
      { kind: 'model', bytes: null },
    ]);
    await expect(
      storage.finishTrial(trial.id, {
        state: 'complete',
        values: [1],
        systemAttrs: { late: true },
        artifacts: [{ kind: 'trial', uri: 'file:///late' }],
      }),
    ).rejects.toThrow(/finished trials cannot change/);
    expect(await storage.getTrial(trial.id)).toEqual(finished);
    expect(await storage.listArtifacts(trial.id)).toHaveLength(2);
    await expect(storage.finishTrial(999_999, { state: 'failed', reason: 'x', systemAttrs: { a: 1 } })).rejects.toThrow(StorageError);
  });

  it('stores params, distributions, values, metrics, backend and every step', async () => {
    const study = await newStudy();
    const trial = await storage.createTrial(study.id, {
      state: 'running',
      params: { lr: 0.0123, layers: 3, act: 'relu', bn: true },
      distributions,
      seed: 42,
    });
    await storage.recordStep(trial.id, 1, { loss: 0.9, val_accuracy: 0.5 });
    await storage.recordStep(trial.id, 2, { loss: 0.5, val_accuracy: 0.8 });
    await storage.recordStep(trial.id, 2, { loss: 0.4, val_accuracy: 0.85 });
    const done = await storage.finishTrial(trial.id, {
      state: 'complete',
      values: [0.85],
      metrics: { val_accuracy: 0.85, test_accuracy: 0.8 },
      backend: 'wasm',
    });
    expect(done).toMatchObject({
      state: 'complete',
      params: { lr: 0.0123, layers: 3, act: 'relu', bn: true },
      distributions,
      values: [0.85],
      metrics: { val_accuracy: 0.85, test_accuracy: 0.8 },
      backend: 'wasm',
      seed: 42,
      lastStep: 2,
      failReason: null,
    });
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt ?? Infinity);
    const steps = await storage.listSteps(trial.id);
    expect(steps.map((s) => [s.step, s.metrics])).toEqual([
      [1, { loss: 0.9, val_accuracy: 0.5 }],
      [2, { loss: 0.4, val_accuracy: 0.85 }],
    ]);
  });

  it('keeps non-finite metrics (a diverged loss) as they were', async () => {
    const study = await newStudy();
    const trial = await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 1 });
    await storage.recordStep(trial.id, 1, { loss: Number.NaN, grad: Number.POSITIVE_INFINITY });
    const [step] = await storage.listSteps(trial.id);
    expect(step?.metrics.loss).toBeNaN();
    expect(step?.metrics.grad).toBe(Number.POSITIVE_INFINITY);
  });

  it('refuses to change a finished trial', async () => {
    const study = await newStudy();
    const trial = await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 1 });
    await storage.finishTrial(trial.id, { state: 'failed', reason: 'boom' });
    await expect(storage.finishTrial(trial.id, { state: 'complete', values: [1] })).rejects.toThrow(StorageError);
    await expect(storage.recordStep(trial.id, 1, { loss: 1 })).rejects.toThrow(/finished trials cannot change/);
    await expect(storage.setTrialUserAttr(trial.id, 'k', 1)).rejects.toThrow(StorageError);
    expect(await storage.getTrial(trial.id)).toMatchObject({ state: 'failed', failReason: 'boom', values: null });
  });

  it('claims each waiting trial exactly once, oldest first', async () => {
    const study = await newStudy();
    for (let i = 0; i < 3; i++) await storage.createTrial(study.id, { state: 'waiting', params: { i }, distributions: {}, seed: i });
    const claims = await Promise.all([1, 2, 3, 4].map(() => storage.claimWaitingTrial(study.id)));
    const claimed = claims.filter((t) => t !== null);
    expect(claimed.map((t) => t?.number).sort()).toEqual([0, 1, 2]);
    expect(claimed.every((t) => t?.state === 'running')).toBe(true);
    expect(claims.filter((t) => t === null)).toHaveLength(1);
  });

  it('filters trials by state and counts them per study', async () => {
    const study = await newStudy();
    const t0 = await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 0 });
    const t1 = await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 1 });
    await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 2 });
    await storage.finishTrial(t0.id, { state: 'complete', values: [1] });
    await storage.finishTrial(t1.id, { state: 'pruned', values: [0.5], reason: 'stopped at step 3' });
    expect((await storage.listTrials(study.id, { states: ['complete', 'pruned'] })).map((t) => t.number)).toEqual([0, 1]);
    const [summary] = await storage.listStudies();
    expect(summary?.counts).toEqual({ waiting: 0, running: 1, complete: 1, pruned: 1, failed: 0 });
    expect((await storage.getTrial(t1.id)).failReason).toBe('stopped at step 3');
  });

  it('stores user and system attributes on studies and trials', async () => {
    const study = await newStudy();
    await storage.setStudyUserAttr(study.id, 'owner', 'ana');
    await storage.setStudySystemAttr(study.id, 'version', { major: 1 });
    await storage.setStudyState(study.id, 'complete');
    const trial = await storage.createTrial(study.id, {
      state: 'running',
      params: {},
      distributions: {},
      seed: 0,
      systemAttrs: { rung: 0 },
    });
    await storage.setTrialUserAttr(trial.id, 'note', 'first');
    await storage.setTrialSystemAttr(trial.id, 'bracket', 2);
    expect(await storage.getStudy(study.id)).toMatchObject({
      state: 'complete',
      userAttrs: { owner: 'ana' },
      systemAttrs: { version: { major: 1 } },
    });
    expect(await storage.getTrial(trial.id)).toMatchObject({ userAttrs: { note: 'first' }, systemAttrs: { rung: 0, bracket: 2 } });
  });

  it('keeps the order of attribute keys: a new key goes last, a replaced one keeps its place, nested ones too', async () => {
    const study = await newStudy();
    await storage.setStudySystemAttr(study.id, 'zeta', { columns: { income: 1, age: 2, z: 3 } });
    await storage.setStudySystemAttr(study.id, 'alpha', 1);
    await storage.setStudySystemAttr(study.id, 'zeta', { columns: { wage: 1, id: 2 } });
    const attrs = (await storage.getStudy(study.id)).systemAttrs as { zeta: { columns: object } };
    expect(Object.keys(attrs)).toEqual(['zeta', 'alpha']);
    expect(Object.keys(attrs.zeta.columns)).toEqual(['wage', 'id']);
  });

  it('fails running trials whose heartbeat is stale, and only those', async () => {
    const study = await studyWithHeartbeats([
      ['running', LONG_AGO],
      ['waiting', null],
    ]);
    const [stale, waiting] = await storage.listTrials(study.id);
    const fresh = await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 1 });
    const failed = await storage.failStaleTrials(study.id, STALE_AFTER_MS, 'abandoned');
    expect(failed.map((t) => t.id)).toEqual([stale?.id]);
    expect((await storage.getTrial(fresh.id)).state).toBe('running');
    expect((await storage.getTrial(waiting?.id as number)).state).toBe('waiting');
    expect((await storage.getTrial(stale?.id as number)).failReason).toBe('abandoned');
  });

  it('references artifacts from trials', async () => {
    const study = await newStudy();
    const trial = await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 0 });
    await storage.addArtifact(trial.id, { kind: 'model', uri: 'file:///m/model.json', bytes: 1234 });
    expect(await storage.listArtifacts(trial.id)).toMatchObject([{ kind: 'model', uri: 'file:///m/model.json', bytes: 1234 }]);
  });

  it('returns copies: changing a returned record changes nothing stored', async () => {
    const study = await newStudy();
    const trial = await storage.createTrial(study.id, { state: 'running', params: { lr: 0.1 }, distributions: {}, seed: 0 });
    (trial.params as Record<string, unknown>).lr = 99;
    expect((await storage.getTrial(trial.id)).params).toEqual({ lr: 0.1 });
  });

  it('pages trials by value (absent values last, ties by number) and reads chart points, metrics and some steps', async () => {
    const study = await newStudy();
    const other = await newStudy('other');
    const ends = [[3], [1], null, [Number.NaN], [1], [2]] as const;
    const ids: number[] = [];
    for (const [i, values] of ends.entries()) {
      const t = await storage.createTrial(study.id, { state: 'running', params: { lr: i / 10 }, distributions, seed: i });
      ids.push(t.id);
      if (i < 2) await storage.recordStep(t.id, 1, { loss: i, ...(i === 1 ? { acc: 0.5 } : {}) });
      await storage.recordStep(t.id, 1, { loss: i }); // a repeated step replaces, it does not add
      if (values === null) await storage.finishTrial(t.id, { state: 'failed', reason: 'x' });
      else await storage.finishTrial(t.id, { state: 'complete', values: [...values] });
    }
    const otherTrial = await storage.createTrial(other.id, { state: 'running', params: {}, distributions: {}, seed: 0 });
    await storage.recordStep(otherTrial.id, 1, { other_metric: 1 });

    const page = (order: 'asc' | 'desc', offset = 0, limit = 10) => storage.pageTrials(study.id, { sort: 'value', order, offset, limit });
    expect((await page('asc')).trials.map((t) => t.number)).toEqual([1, 4, 5, 0, 2, 3]);
    expect((await page('desc')).trials.map((t) => t.number)).toEqual([0, 5, 1, 4, 2, 3]);
    const second = await page('asc', 1, 2);
    expect([second.total, second.trials.map((t) => t.number)]).toEqual([6, [4, 5]]);
    const failed = await storage.pageTrials(study.id, { states: ['failed'], sort: 'number', order: 'desc', offset: 0, limit: 10 });
    expect([failed.total, failed.trials.map((t) => t.number)]).toEqual([1, [2]]);
    expect(second.changedAt).toBe(
      Math.max(...(await storage.listTrials(study.id)).map((t) => Math.max(t.createdAt, t.finishedAt ?? 0, t.heartbeatAt ?? 0))),
    );

    const points = await storage.listTrialPoints(study.id, { states: ['complete'], params: true });
    expect(points.map((p) => [p.number, p.steps, p.params.lr])).toEqual([
      [0, 1, 0],
      [1, 1, 0.1],
      [3, 1, 0.3],
      [4, 1, 0.4],
      [5, 1, 0.5],
    ]);
    expect(points[0]?.distributions).toEqual(distributions);
    expect(Number.isNaN(points[2]?.values?.[0])).toBe(true);
    expect((await storage.listTrialPoints(study.id))[0]?.params).toEqual({});
    expect(await storage.listStepMetrics(study.id)).toEqual(['acc', 'loss']);
    const steps = await storage.listStepsOf(study.id, [ids[1] as number, otherTrial.id]);
    expect([...steps.keys()]).toEqual([ids[1]]);
    expect(steps.get(ids[1] as number)?.map((s) => s.metrics)).toEqual([{ loss: 1 }]);
  });

  it('keeps a study note with compare-and-set saves, per study, gone with its study', async () => {
    const study = await newStudy('noted');
    const other = await newStudy('other');
    expect(await storage.getStudyNote(study.id)).toEqual({ text: '', version: 0, updatedAt: null });
    const first = await storage.setStudyNote(study.id, 'lr above 0.01 diverges <b>', 0);
    expect(first.saved).toBe(true);
    expect(first.note).toMatchObject({ text: 'lr above 0.01 diverges <b>', version: 1 });
    expect(first.note.updatedAt).toBeGreaterThan(0);
    // A second editor who read version 0 is refused and told what is stored; nothing changes.
    expect(await storage.setStudyNote(study.id, 'stale edit', 0)).toEqual({ saved: false, note: first.note });
    expect((await storage.setStudyNote(study.id, 'second line\nadded', 1)).note).toMatchObject({ text: 'second line\nadded', version: 2 });
    expect(await storage.getStudyNote(other.id)).toEqual({ text: '', version: 0, updatedAt: null });
    await storage.deleteStudy(study.id);
    await expect(storage.getStudyNote(study.id)).rejects.toThrow(StorageError);
    await expect(storage.setStudyNote(study.id, 'x', 2)).rejects.toThrow(StorageError);
  });

  it('lists what changed since a change sequence number, each trial once at its latest change, with the new mark', async () => {
    const study = await newStudy();
    const other = await newStudy('other');
    const running = (seed: number) => storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed });
    const [t0, t1] = [await running(0), await running(1)];
    const waiting = await storage.createTrial(study.id, { state: 'waiting', params: {}, distributions: {}, seed: 2 });
    const all = await storage.listTrialsChangedSince(study.id, 0);
    expect(all.items.map((t) => t.number)).toEqual([0, 1, 2]);
    expect(all.seq).toBeGreaterThan(0);
    // Nothing changed: nothing listed, and the mark stays.
    expect(await storage.listTrialsChangedSince(study.id, all.seq)).toEqual({ items: [], seq: all.seq });
    expect(await storage.listStepsSince(study.id, 0)).toEqual({ items: [], seq: 0 });

    await storage.recordStep(t0.id, 1, { loss: 2 });
    await storage.heartbeat(t1.id); // liveness only: not a change
    await storage.setTrialSystemAttr(t1.id, 'rung', 1);
    await storage.recordStep(t0.id, 1, { loss: 1.5 }); // a replaced step is listed once, as it is now
    await storage.recordStep(t0.id, 2, { loss: 1 });
    await storage.claimWaitingTrial(study.id);
    await storage.finishTrial(t1.id, { state: 'pruned', values: [3], reason: 'asha: not in the top 1/3' });
    await storage.createTrial(other.id, { state: 'running', params: {}, distributions: {}, seed: 9 });

    const trials = await storage.listTrialsChangedSince(study.id, all.seq);
    expect(trials.items.map((t) => [t.number, t.state, t.lastStep])).toEqual([
      [0, 'running', 2],
      [2, 'running', null],
      [1, 'pruned', null],
    ]);
    expect(trials.items[2]).toMatchObject({ values: [3], failReason: 'asha: not in the top 1/3', systemAttrs: { rung: 1 } });
    expect(trials.seq).toBeGreaterThan(all.seq);
    const steps = await storage.listStepsSince(study.id, all.seq);
    expect(steps.items.map((s) => [s.trialId, s.trialNumber, s.step, s.metrics])).toEqual([
      [t0.id, 0, 1, { loss: 1.5 }],
      [t0.id, 0, 2, { loss: 1 }],
    ]);
    expect(steps.seq).toBeGreaterThan(all.seq);
    expect((await storage.listStepsSince(study.id, steps.seq)).items).toEqual([]);
    // One study's changes are its own; a stale trial failed is a change.
    expect((await storage.listTrialsChangedSince(other.id, 0)).items).toHaveLength(1);
    const before = (await storage.listTrialsChangedSince(study.id, 0)).seq;
    await storage.failStaleTrials(study.id, -1, 'interrupted');
    expect((await storage.listTrialsChangedSince(study.id, before)).items.map((t) => [t.number, t.state])).toEqual([
      [0, 'failed'],
      [2, 'failed'],
    ]);
    expect(waiting.number).toBe(2);
    await expect(storage.listTrialsChangedSince(999, 0)).rejects.toThrow(StorageError);
    await expect(storage.listStepsSince(999, 0)).rejects.toThrow(StorageError);
  });

  it('keeps attribute keys holding ", \\, ., [, ] and $ as they were, on studies and trials', async () => {
    const study = await newStudy();
    const trial = await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 0 });
    const keys = ['say "hi"', 'a.b', 'list[0]', '$', '$.x', 'back\\slash', 'both\\"', '"', '', 'tab\tnew\nline', 'é😀'];
    for (const [i, key] of keys.entries()) {
      await storage.setStudyUserAttr(study.id, key, i);
      await storage.setStudySystemAttr(study.id, key, { key });
      await storage.setTrialUserAttr(trial.id, key, i);
      await storage.setTrialSystemAttr(trial.id, key, [key]);
    }
    await storage.setStudyUserAttr(study.id, 'a.b', 'replaced'); // replacing keeps its place
    const expected = (value: (key: string, i: number) => unknown) => Object.fromEntries(keys.map((k, i) => [k, value(k, i)]));
    const stored = await storage.getStudy(study.id);
    expect(Object.keys(stored.userAttrs)).toEqual(keys);
    expect(stored.userAttrs).toEqual({ ...expected((_k, i) => i), 'a.b': 'replaced' });
    expect(stored.systemAttrs).toEqual(expected((key) => ({ key })));
    const t = await storage.getTrial(trial.id);
    expect(t.userAttrs).toEqual(expected((_k, i) => i));
    expect(t.systemAttrs).toEqual(expected((key) => [key]));
  });

  it('moves the heartbeat without a change of the feed; a fresh heartbeat keeps a trial from being reaped', async () => {
    // Both running trials last beat long ago (a time the test writes, so nothing waits for the clock); only one
    // says it is alive.
    const study = await studyWithHeartbeats([
      ['running', LONG_AGO],
      ['running', LONG_AGO],
      ['waiting', null],
    ]);
    const [beating, silent, waiting] = (await storage.listTrials(study.id)) as [TrialRecord, TrialRecord, TrialRecord];
    const mark = (await storage.listTrialsChangedSince(study.id, 0)).seq;
    await storage.heartbeat(beating.id);
    const after = await storage.getTrial(beating.id);
    expect(after.heartbeatAt).toBeGreaterThan(LONG_AGO + STALE_AFTER_MS);
    expect(after.state).toBe('running');
    expect(await storage.listTrialsChangedSince(study.id, mark)).toEqual({ items: [], seq: mark });

    const reaped = await storage.failStaleTrials(study.id, STALE_AFTER_MS, 'no heartbeat');
    expect(reaped.map((t) => [t.id, t.state, t.failReason])).toEqual([[silent.id, 'failed', 'no heartbeat']]);
    expect((await storage.getTrial(beating.id)).state).toBe('running');
    expect((await storage.getTrial(waiting.id)).state).toBe('waiting'); // nobody owns a waiting trial yet
    // The reaped trial's owner learns it lost the trial from its next write.
    await expect(storage.heartbeat(silent.id)).rejects.toThrow(/finished trials cannot change/);
    await expect(storage.recordStep(silent.id, 1, { loss: 1 })).rejects.toThrow(StorageError);
    await expect(storage.heartbeat(999_999)).rejects.toThrow(StorageError);
    expect(await storage.failStaleTrials(study.id, STALE_AFTER_MS, 'again')).toEqual([]);
  });

  it("lists a trial's steps in step order whatever order they came in, and refuses an unknown trial", async () => {
    const study = await newStudy();
    const trial = await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 0 });
    for (const step of [3, 1, 2]) await storage.recordStep(trial.id, step, { loss: step });
    expect((await storage.listSteps(trial.id)).map((s) => [s.step, s.metrics.loss])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect((await storage.getTrial(trial.id)).lastStep).toBe(3);
    await expect(storage.listSteps(999_999)).rejects.toThrow(StorageError);
  });

  it('imports a whole study as another storage held it: numbers, states, times, steps, attributes, note, artifacts', async () => {
    const finished = {
      number: 0,
      state: 'complete' as const,
      params: { x: 0.5 },
      distributions: {},
      values: [Number.POSITIVE_INFINITY],
      metrics: { acc: Number.NaN },
      seed: 11,
      backend: 'cpu',
      failReason: null,
      lastStep: 2,
      userAttrs: { u: 1 },
      systemAttrs: { 'a"b': true },
      createdAt: 1000,
      startedAt: 1100,
      finishedAt: 1300,
      heartbeatAt: 1200,
    };
    const failed = {
      ...finished,
      number: 1,
      state: 'failed' as const,
      values: null,
      metrics: {},
      failReason: 'boom',
      lastStep: null,
      systemAttrs: {},
    };
    const imported = await storage.importStudy({
      study: {
        name: 'moved',
        directions: ['maximize'],
        config: { a: 1 },
        state: 'complete',
        userAttrs: { owner: 'ana' },
        systemAttrs: { s: [1] },
        createdAt: 900,
      },
      note: { text: 'from the laptop', version: 3, updatedAt: 950 },
      stepMetrics: ['acc', 'replaced_only'],
      trials: [
        {
          trial: finished,
          steps: [
            { step: 1, metrics: { acc: 0.5 }, recordedAt: 1150 },
            { step: 2, metrics: { acc: Number.NaN }, recordedAt: 1250 },
          ],
          artifacts: [{ kind: 'trial', uri: (id) => `db:trial/${id}`, bytes: 10, createdAt: 1290 }],
        },
        { trial: failed, steps: [], artifacts: [] },
      ],
    });
    expect(imported).toMatchObject({
      name: 'moved',
      directions: ['maximize'],
      state: 'complete',
      userAttrs: { owner: 'ana' },
      systemAttrs: { s: [1] },
      createdAt: 900,
    });
    const trials = await storage.listTrials(imported.id);
    expect(trials.map(({ id: _id, studyId: _study, ...rest }) => rest)).toEqual([finished, failed]);
    const first = trials[0] as (typeof trials)[number];
    expect(await storage.listSteps(first.id)).toEqual([
      { step: 1, metrics: { acc: 0.5 }, recordedAt: 1150 },
      { step: 2, metrics: { acc: Number.NaN }, recordedAt: 1250 },
    ]);
    expect(await storage.listArtifacts(first.id)).toMatchObject([
      { kind: 'trial', uri: `db:trial/${first.id}`, bytes: 10, createdAt: 1290 },
    ]);
    expect(await storage.getStudyNote(imported.id)).toEqual({ text: 'from the laptop', version: 3, updatedAt: 950 });
    expect(await storage.listStepMetrics(imported.id)).toEqual(['acc', 'replaced_only']);
    // The study goes on in its new home: the next trial takes the number after the imported ones.
    expect((await storage.createTrial(imported.id, { state: 'running', params: {}, distributions: {}, seed: 0 })).number).toBe(2);
    await expect(
      storage.importStudy({
        study: { ...imported, name: 'moved' },
        note: { text: '', version: 0, updatedAt: null },
        stepMetrics: [],
        trials: [],
      }),
    ).rejects.toThrow();
  });

  it('deletes a study with its trials, steps, metric names, artifact records, note and changes; others stay', async () => {
    const doomed = await newStudy('doomed');
    const kept = await newStudy('kept');
    const trial = await storage.createTrial(doomed.id, { state: 'running', params: { x: 1 }, distributions: {}, seed: 1 });
    await storage.recordStep(trial.id, 1, { doomed_loss: 0.5 });
    await storage.addArtifact(trial.id, { kind: 'model', uri: 'file:///m/doomed' });
    await storage.setStudyNote(doomed.id, 'gone soon', 0);
    const other = await storage.createTrial(kept.id, { state: 'running', params: { x: 2 }, distributions: {}, seed: 2 });
    await storage.recordStep(other.id, 1, { kept_loss: 1 });
    await storage.addArtifact(other.id, { kind: 'model', uri: 'file:///m/kept' });

    await storage.deleteStudy(doomed.id);

    expect(await storage.findStudy('doomed')).toBeNull();
    expect((await storage.listStudies()).map((s) => s.name)).toEqual(['kept']);
    for (const read of [() => storage.getTrial(trial.id), () => storage.listSteps(trial.id), () => storage.listArtifacts(trial.id)]) {
      await expect(read()).rejects.toThrow(/no trial/);
    }
    await expect(storage.listTrialsChangedSince(doomed.id, 0)).rejects.toThrow(/no study/);
    await expect(storage.deleteStudy(doomed.id)).rejects.toThrow(/no study/);
    // The name is free again, and the new study inherits nothing of the old one.
    const again = await newStudy('doomed');
    expect(await storage.listTrials(again.id)).toEqual([]);
    expect(await storage.listStepsSince(again.id, 0)).toEqual({ items: [], seq: 0 });
    expect(await storage.listStepMetrics(again.id)).toEqual([]);
    expect(await storage.getStudyNote(again.id)).toEqual({ text: '', version: 0, updatedAt: null });
    expect((await storage.createTrial(again.id, { state: 'running', params: {}, distributions: {}, seed: 0 })).number).toBe(0);
    // The other study keeps everything.
    expect((await storage.listSteps(other.id)).map((s) => s.metrics)).toEqual([{ kept_loss: 1 }]);
    expect((await storage.listArtifacts(other.id)).map((a) => a.uri)).toEqual(['file:///m/kept']);
    expect(await storage.listStepMetrics(kept.id)).toEqual(['kept_loss']);
  });

  it('gives each waiting trial to exactly one of many claimers on two connections at once', async () => {
    const study = await newStudy();
    const waiting: number[] = [];
    for (let i = 0; i < 6; i++)
      waiting.push((await storage.createTrial(study.id, { state: 'waiting', params: { i }, distributions: {}, seed: i })).id);
    const second = await connect();
    const claims = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? second : storage).claimWaitingTrial(study.id)));
    const claimed = claims.filter((t) => t !== null);
    expect(claimed.map((t) => t.id).sort((a, b) => a - b)).toEqual(waiting);
    expect(claimed.every((t) => t.state === 'running' && t.startedAt !== null && t.heartbeatAt !== null)).toBe(true);
    expect(await storage.countTrials(study.id, { states: ['running'] })).toBe(6);
    expect(await second.claimWaitingTrial(study.id)).toBeNull();
    // Each claim is one change of the feed, seen from either connection.
    const changes = await second.listTrialsChangedSince(study.id, 0);
    expect(changes.items.map((t) => t.state)).toEqual(Array(6).fill('running'));
  });

  it('derives the read models from the core with the answers its own (SQL) read models give', async () => {
    const rng = new Rng(20261202);
    const study = await newStudy('read');
    const other = await newStudy('other');
    const ids: number[] = [];
    const otherTrial = await storage.createTrial(other.id, { state: 'running', params: {}, distributions: {}, seed: 0 });
    await storage.recordStep(otherTrial.id, 1, { other_metric: 1 });
    for (let i = 0; i < 40; i++) {
      const waiting = rng.float() < 0.1;
      const t = await storage.createTrial(study.id, {
        state: waiting ? 'waiting' : 'running',
        params: { lr: rng.float(), layers: rng.int(1, 4) },
        distributions,
        seed: i,
      });
      ids.push(t.id);
      if (waiting) continue;
      const steps = rng.int(0, 4);
      for (let s = 1; s <= steps; s++) await storage.recordStep(t.id, s, { loss: rng.float(), ...(s > 2 ? { acc: rng.float() } : {}) });
      if (steps > 0 && rng.float() < 0.3) await storage.recordStep(t.id, 1, { loss: 0 }); // replaced, same names
      const end = rng.float();
      const value = [rng.int(0, 5) / 4, Number.NaN, Number.POSITIVE_INFINITY][rng.int(0, 9) < 8 ? 0 : rng.int(1, 2)] as number;
      if (end < 0.5) await storage.finishTrial(t.id, { state: 'complete', values: [value] });
      else if (end < 0.7) await storage.finishTrial(t.id, { state: 'pruned', values: rng.float() < 0.5 ? [value] : null, reason: 'asha' });
      else if (end < 0.85) await storage.finishTrial(t.id, { state: 'failed', reason: 'boom' });
    }
    const derived = defaultReadModels(storage);
    for (const sort of ['number', 'value'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        for (const states of [undefined, ['complete'], ['pruned', 'failed'], ['waiting', 'running'], []] as const) {
          for (const [offset, limit] of [
            [0, 100],
            [3, 7],
            [38, 10],
          ] as const) {
            const query = { sort, order, offset, limit, ...(states ? { states: [...states] } : {}) };
            expect(await derived.pageTrials(study.id, query), JSON.stringify(query)).toEqual(await storage.pageTrials(study.id, query));
          }
        }
      }
    }
    for (const query of [undefined, {}, { params: true }, { states: ['complete' as const], params: true }, { states: [] }]) {
      expect(await derived.listTrialPoints(study.id, query), JSON.stringify(query)).toEqual(await storage.listTrialPoints(study.id, query));
    }
    const asked = [ids[5], otherTrial.id, 999_999, ids[2], ids[5], ids[0], ids[39]] as number[];
    const bySql = await storage.listStepsOf(study.id, asked);
    expect(bySql.size).toBeGreaterThan(0);
    expect([...(await derived.listStepsOf(study.id, asked)).entries()]).toEqual([...bySql.entries()]);
    expect(await derived.listStepMetrics(study.id)).toEqual(await storage.listStepMetrics(study.id));
    expect(await derived.listStepMetrics(study.id)).toEqual(['acc', 'loss']);
    for (const read of [
      () => derived.pageTrials(999, { sort: 'number', order: 'asc', offset: 0, limit: 1 }),
      () => derived.listTrialPoints(999),
      () => derived.listStepsOf(999, []),
      () => derived.listStepMetrics(999),
    ]) {
      await expect(read()).rejects.toThrow(StorageError);
    }
  });

  it('reports unknown ids as StorageError', async () => {
    await expect(storage.getStudy(999)).rejects.toThrow(StorageError);
    await expect(storage.getTrial(999)).rejects.toThrow(StorageError);
    await expect(storage.createTrial(999, { state: 'running', params: {}, distributions: {}, seed: 0 })).rejects.toThrow(StorageError);
  });
});

describe('the storage contract suite', () => {
  it('calls every method of the core contract and of the read models', () => {
    const source = readFileSync(repoPath('src/storage/storage.ts'), 'utf8');
    const methodsOf = (name: string) => {
      const body = source.slice(source.indexOf(`export interface ${name} {`)).split('\n}\n')[0] as string;
      return [...body.matchAll(/^ {2}([a-zA-Z]+)\(/gm)].map((m) => m[1] as string);
    };
    const core = methodsOf('StorageCore');
    const readModels = methodsOf('ReadModels');
    expect(core).toEqual(expect.arrayContaining(['heartbeat', 'listSteps', 'deleteStudy', 'claimWaitingTrial', 'failStaleTrials']));
    expect(readModels).toEqual(['listStepsOf', 'listStepMetrics', 'pageTrials', 'listTrialPoints']);
    const suite = readFileSync(import.meta.filename, 'utf8');
    const uncalled = [...core, ...readModels].filter((m) => !suite.includes(`.${m}(`));
    expect(uncalled).toEqual([]);
  });
});
