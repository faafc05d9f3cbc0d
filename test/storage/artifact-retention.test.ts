import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trialArtifactDir } from '../../src/artifacts/layout.js';
import { ArtifactRetention } from '../../src/artifacts/retention.js';
import { DatabaseArtifactStore } from '../../src/artifacts/database-store.js';
import { rankCompleted } from '../../src/core/rank.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { useTempDir } from '../helpers/tmp.js';

const database = usePostgresDatabases();
const tmp = useTempDir();

describe('artifact retention across machines', () => {
  it('deletes, from another machine, the database files of trials out of the best k and of failed trials, sparing ensemble members', async () => {
    const url = await database();
    // Two processes on two machines: their own connections and their own local directories.
    const [a, b] = await Promise.all([PostgresStorage.open(url), PostgresStorage.open(url)]);
    try {
      const storeA = new DatabaseArtifactStore(a, a.files, join(tmp(), 'machine-a'));
      const storeB = new DatabaseArtifactStore(b, b.files, join(tmp(), 'machine-b'));
      const study = await a.createStudy({ name: 'kept', directions: ['maximize'], config: {} });
      // Trained on machine A: values 0.1 … 0.5 by number; trial 5 stored its files, then its process died.
      for (let n = 0; n < 6; n++) {
        const trial = await a.createTrial(study.id, { state: 'running', params: { n }, distributions: {}, seed: n });
        const dir = trialArtifactDir(join(tmp(), 'machine-a'), 'kept', n);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'model.json'), JSON.stringify({ n }));
        const stored = await storeA.put(trial, dir);
        if (n === 5) {
          await a.finishTrial(trial.id, { state: 'failed', reason: 'interrupted: the process running it stopped' });
          continue;
        }
        await a.addArtifact(trial.id, { kind: 'trial', uri: stored.uri, bytes: stored.bytes });
        await a.finishTrial(trial.id, { state: 'complete', values: [(n + 1) / 10] });
      }
      const trials = await b.listTrials(study.id);
      // Machine B prunes to the best 2, with trial 0 a member of a built ensemble.
      const retention = new ArtifactRetention(
        2,
        (trial) => storeB.remove(trial, undefined),
        (n) => n === 0,
      );
      await retention.prune(
        rankCompleted(trials, 'maximize'),
        trials.filter((t) => t.state === 'failed'),
      );

      const kept = [];
      for (const trial of trials) if ((await a.files.listFiles(trial.id)).length > 0) kept.push(trial.number);
      expect(kept).toEqual([0, 3, 4]);
      // Machine A still has its own copies on disk, but no longer reads them: the database decides.
      expect(existsSync(trialArtifactDir(join(tmp(), 'machine-a'), 'kept', 1))).toBe(true);
      expect(await storeA.localDir(trials[1]!, `db:trial/${trials[1]!.id}`)).toBeNull();
      expect(await storeA.localDir(trials[4]!, `db:trial/${trials[4]!.id}`)).toBe(trialArtifactDir(join(tmp(), 'machine-a'), 'kept', 4));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
