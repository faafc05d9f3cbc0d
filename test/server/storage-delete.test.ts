import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MemoryStorage, SqliteStorage, type Storage } from '../../src/storage/index.js';
import { useTempDir } from '../helpers/tmp.js';

const dir = useTempDir();
const file = () => join(dir(), 'db.sqlite');
const implementations: Record<string, () => Storage> = {
  memory: () => new MemoryStorage(),
  sqlite: () => new SqliteStorage(file()),
};

/** The rows the SQLite file itself still holds for a trial: what "removed" means on disk, not what the API says. */
function rowsOnDisk(trialId: number): { trials: number; steps: number; artifacts: number } {
  const db = new Database(file(), { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get(trialId) as { n: number }).n;
    return {
      trials: count('SELECT COUNT(*) AS n FROM trials WHERE id = ?'),
      steps: count('SELECT COUNT(*) AS n FROM trial_steps WHERE trial_id = ?'),
      artifacts: count('SELECT COUNT(*) AS n FROM artifacts WHERE trial_id = ?'),
    };
  } finally {
    db.close();
  }
}

describe.each(Object.keys(implementations))('deleteStudy (%s)', (kind) => {
  it('removes the study, its trials, steps and artifacts, and leaves other studies alone', async () => {
    const storage = (implementations[kind] as () => Storage)();
    const doomed = await storage.createStudy({ name: 'doomed', directions: ['minimize'], config: {} });
    const kept = await storage.createStudy({ name: 'kept', directions: ['minimize'], config: {} });
    const trial = await storage.createTrial(doomed.id, { state: 'running', params: { x: 1 }, distributions: {}, seed: 1 });
    await storage.recordStep(trial.id, 1, { loss: 0.5 });
    await storage.addArtifact(trial.id, { kind: 'model', uri: 'file:///tmp/m' });
    const other = await storage.createTrial(kept.id, { state: 'running', params: { x: 2 }, distributions: {}, seed: 2 });
    await storage.recordStep(other.id, 1, { loss: 0.7 });
    await storage.addArtifact(other.id, { kind: 'model', uri: 'file:///tmp/kept' });
    if (kind === 'sqlite') expect(rowsOnDisk(trial.id)).toEqual({ trials: 1, steps: 1, artifacts: 1 });

    await storage.deleteStudy(doomed.id);

    expect(await storage.findStudy('doomed')).toBeNull();
    for (const read of [() => storage.getTrial(trial.id), () => storage.listSteps(trial.id), () => storage.listArtifacts(trial.id)]) {
      await expect(read()).rejects.toThrow(/no trial/);
    }
    if (kind === 'sqlite') expect(rowsOnDisk(trial.id)).toEqual({ trials: 0, steps: 0, artifacts: 0 });
    expect((await storage.listStudies()).map((s) => s.name)).toEqual(['kept']);
    expect((await storage.getTrial(other.id)).params).toEqual({ x: 2 });
    expect((await storage.listSteps(other.id)).map((s) => s.metrics)).toEqual([{ loss: 0.7 }]);
    expect((await storage.listArtifacts(other.id)).map((a) => a.uri)).toEqual(['file:///tmp/kept']);
    if (kind === 'sqlite') expect(rowsOnDisk(other.id)).toEqual({ trials: 1, steps: 1, artifacts: 1 });
    await expect(storage.deleteStudy(doomed.id)).rejects.toThrow(/no study/);
    // The name is free again.
    await storage.createStudy({ name: 'doomed', directions: ['minimize'], config: {} });
    await storage.close();
  });
});
