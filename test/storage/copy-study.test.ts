import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactRootFor, trialArtifactDir } from '../../src/artifacts/layout.js';
import { FilesystemArtifactStore } from '../../src/artifacts/filesystem-store.js';
import { storeOf } from '../../src/artifacts/stores.js';
import { copyStudies } from '../../src/controller/copy-study.js';
import { InputError } from '../../src/core/errors.js';
import { MemoryStorage } from '../../src/storage/memory.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { useTempDir } from '../helpers/tmp.js';

const database = usePostgresDatabases();
const tmp = useTempDir();

/**
 * A finished study with every kind of record: trials in each end state (and one left running, one waiting),
 * replaced steps, non-finite metrics, attributes, a note, and artifact files for the completed trials.
 */
async function seedStudy(storage: Storage, name: string, root = artifactRootFor(storage.url)): Promise<void> {
  const study = await storage.createStudy({
    name,
    directions: ['maximize'],
    config: { name, data: { source: '/data/iris.csv' }, nested: [1, 'two'] },
  });
  const store = new FilesystemArtifactStore(root);
  const distributions = {
    lr: { kind: 'float', low: 1e-4, high: 1, log: true },
    model: { kind: 'categorical', choices: ['mlp', 'cnn'] },
  } as const;
  for (let n = 0; n < 6; n++) {
    const trial = await storage.createTrial(study.id, {
      state: n === 5 ? 'waiting' : 'running',
      params: { lr: 10 ** -(n + 1), model: n % 2 ? 'cnn' : 'mlp' },
      distributions,
      seed: 1_000_000 + n,
      systemAttrs: n === 5 ? { retry_of: 3 } : {},
    });
    if (n === 5) break;
    for (let step = 1; step <= 3; step++)
      await storage.recordStep(trial.id, step, { val_accuracy: 0.5 + step / 10 + n / 100, loss: n === 2 ? Number.NaN : 1 / step });
    // A replaced step, whose first report named a metric the second does not.
    await storage.recordStep(trial.id, 2, { val_accuracy: 0.61 + n / 100 });
    await storage.setTrialUserAttr(trial.id, 'note', `trial ${n} "quoted" ✓`);
    await storage.setTrialSystemAttr(trial.id, 'rung', n);
    if (n === 4) continue; // left running
    if (n === 3) {
      await storage.finishTrial(trial.id, { state: 'failed', reason: 'interrupted: the process running it stopped' });
      continue;
    }
    if (n === 1) {
      await storage.finishTrial(trial.id, { state: 'pruned', values: [0.6], reason: 'asha: below rung 1', backend: 'wasm' });
      continue;
    }
    const dir = trialArtifactDir(root, name, trial.number);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ trial: n }));
    writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(2 * 1024 * 1024 + n, n + 1));
    const stored = await store.put(trial, dir);
    await storage.addArtifact(trial.id, { kind: 'trial', uri: stored.uri, bytes: stored.bytes });
    await storage.finishTrial(trial.id, {
      state: 'complete',
      values: [0.8 + n / 100],
      metrics: { test_accuracy: 0.75, val_loss: Number.POSITIVE_INFINITY },
      backend: 'cpu',
    });
  }
  await storage.setStudyUserAttr(study.id, 'owner', { team: 'ml', ids: [1, 2] });
  await storage.setStudySystemAttr(study.id, 'ensemble', { members: [{ trial: 0, weight: 1 }] });
  await storage.setStudyNote(study.id, 'first note', 0);
  await storage.setStudyNote(study.id, 'second note', 1);
  await storage.setStudyState(study.id, 'complete');
}

/** Everything a storage holds of a study, without the ids (and artifact URIs) that are each storage's own. */
async function dump(storage: Storage, name: string) {
  const { id, ...study } = (await storage.findStudy(name))!;
  const trials = [];
  for (const trial of await storage.listTrials(id)) {
    const { id: trialId, studyId: _studyId, ...record } = trial;
    const artifacts = [];
    for (const { id: _id, trialId: _trialId, uri, ...artifact } of await storage.listArtifacts(trialId)) {
      const files = await storeOf(storage, uri).readFiles(trial, uri);
      // The content's own hash, not the one recorded with it (comparing megabytes as arrays is slow).
      artifacts.push({
        ...artifact,
        files: files?.map((f) => ({ name: f.name, bytes: f.data.byteLength, sha256: createHash('sha256').update(f.data).digest('hex') })),
      });
    }
    trials.push({ ...record, steps: await storage.listSteps(trialId), artifacts });
  }
  return { study, note: await storage.getStudyNote(id), metrics: await storage.listStepMetrics(id), trials };
}

describe('copyStudies', () => {
  it('copies SQLite → PostgreSQL → SQLite exactly: every record and every artifact file', async () => {
    const first = new SqliteStorage(join(tmp(), 'laptop.db'));
    const server = await PostgresStorage.open(await database());
    const back = new SqliteStorage(join(tmp(), 'back', 'copy.db'));
    try {
      await seedStudy(first, 'iris-copy');
      await seedStudy(first, 'other');
      const original = await dump(first, 'iris-copy');
      expect(original.trials.map((t) => t.state)).toEqual(['complete', 'pruned', 'complete', 'failed', 'running', 'waiting']);
      expect(original.trials[0]!.artifacts[0]!.files?.map((f) => f.name)).toEqual(['model.json', 'weights.bin']);

      expect(await copyStudies(first, server, { study: 'iris-copy' })).toEqual([{ name: 'iris-copy', trials: 6, steps: 15, artifacts: 2 }]);
      expect((await server.listStudies()).map((s) => s.name)).toEqual(['iris-copy']);
      const onServer = await dump(server, 'iris-copy');
      expect(onServer).toEqual(original);
      // The files are in the database, not on this machine's disk.
      const copied = (await server.listTrials((await server.findStudy('iris-copy'))!.id))[0]!;
      expect((await server.listArtifacts(copied.id))[0]!.uri).toBe(`db:trial/${copied.id}`);

      await copyStudies(server, back);
      expect(await dump(back, 'iris-copy')).toEqual(original);
      // The change feed of the copy starts from what was copied: a reader from 0 sees every trial and step.
      const copy = (await back.findStudy('iris-copy'))!;
      expect((await back.listTrialsChangedSince(copy.id, 0)).items).toHaveLength(6);
      expect((await back.listStepsSince(copy.id, 0)).items).toHaveLength(15);
    } finally {
      await Promise.all([first.close(), server.close(), back.close()]);
    }
  });

  it('copies through memory storage just as exactly', async () => {
    const first = new SqliteStorage(join(tmp(), 'first.db'));
    const memory = new MemoryStorage();
    const back = new SqliteStorage(join(tmp(), 'back.db'));
    try {
      await seedStudy(first, 'm');
      const original = await dump(first, 'm');
      await copyStudies(first, memory, { artifacts: join(tmp(), 'memory-artifacts') });
      expect(await dump(memory, 'm')).toEqual(original);
      await copyStudies(memory, back);
      expect(await dump(back, 'm')).toEqual(original);
    } finally {
      await Promise.all([first.close(), back.close()]);
    }
  });

  it('takes the copy back when a source file is damaged: the target is as before', async () => {
    const source = new MemoryStorage();
    const target = new MemoryStorage();
    await seedStudy(source, 'damaged', tmp());
    const weights = join(trialArtifactDir(tmp(), 'damaged', 2), 'weights.bin');
    writeFileSync(weights, Buffer.alloc(16));
    await expect(copyStudies(source, target, { artifacts: join(tmp(), 'copies') })).rejects.toThrow(
      new RegExp(`^trial 2: artifact file ${weights} does not match its sha256 .*refusing to use it$`),
    );
    expect(await target.listStudies()).toEqual([]);
    expect(existsSync(join(tmp(), 'copies', 'damaged'))).toBe(false);
  });

  it('refuses, writing nothing, a name the target has and a study the source lacks', async () => {
    const source = new MemoryStorage();
    const target = new MemoryStorage();
    // Memory storage has no directory: its artifacts go in the test's.
    await seedStudy(source, 'a', tmp());
    await seedStudy(source, 'b', tmp());
    await target.createStudy({ name: 'b', directions: ['minimize'], config: {} });
    await expect(copyStudies(source, target)).rejects.toThrow(
      new InputError('memory: already has a study named "b"; nothing copied (delete it there, or choose one with --study)'),
    );
    await expect(copyStudies(source, target, { study: 'nope' })).rejects.toThrow(/^no study named "nope" in memory:; nothing copied$/);
    await expect(copyStudies(new MemoryStorage(), target)).rejects.toThrow(/^memory: has no studies; nothing copied$/);
    expect((await target.listStudies()).map((s) => s.name)).toEqual(['b']);
    expect(await copyStudies(source, target, { study: 'a', artifacts: join(tmp(), 'copies') })).toEqual([
      { name: 'a', trials: 6, steps: 15, artifacts: 2 },
    ]);
  });
});
