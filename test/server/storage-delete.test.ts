import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStorage, SqliteStorage, type Storage } from '../../src/storage/index.js';
import { useTempDir } from '../helpers/tmp.js';

const dir = useTempDir();
const implementations: Record<string, () => Storage> = {
  memory: () => new MemoryStorage(),
  sqlite: () => new SqliteStorage(join(dir(), 'db.sqlite')),
};

describe.each(Object.keys(implementations))('deleteStudy (%s)', (kind) => {
  it('removes the study, its trials, steps and artifacts, and leaves other studies alone', async () => {
    const storage = (implementations[kind] as () => Storage)();
    const doomed = await storage.createStudy({ name: 'doomed', directions: ['minimize'], config: {} });
    const kept = await storage.createStudy({ name: 'kept', directions: ['minimize'], config: {} });
    const trial = await storage.createTrial(doomed.id, { state: 'running', params: { x: 1 }, distributions: {}, seed: 1 });
    await storage.recordStep(trial.id, 1, { loss: 0.5 });
    await storage.addArtifact(trial.id, { kind: 'model', uri: 'file:///tmp/m' });
    const other = await storage.createTrial(kept.id, { state: 'running', params: { x: 2 }, distributions: {}, seed: 2 });

    await storage.deleteStudy(doomed.id);

    expect(await storage.findStudy('doomed')).toBeNull();
    await expect(storage.getTrial(trial.id)).rejects.toThrow(/no trial/);
    expect((await storage.listStudies()).map((s) => s.name)).toEqual(['kept']);
    expect((await storage.getTrial(other.id)).params).toEqual({ x: 2 });
    await expect(storage.deleteStudy(doomed.id)).rejects.toThrow(/no study/);
    // The name is free again.
    await storage.createStudy({ name: 'doomed', directions: ['minimize'], config: {} });
    await storage.close();
  });
});
