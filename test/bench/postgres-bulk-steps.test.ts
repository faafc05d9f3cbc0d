import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { writeStepsInBulk, type BulkStep } from '../../bench/postgres-bulk-steps.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { usePostgresDatabases } from '../helpers/postgres.js';

const database = usePostgresDatabases();

/** Two running trials in a new study of `storage`. */
async function twoTrials(storage: Storage, name: string) {
  const study = await storage.createStudy({ name, directions: ['minimize'], config: {} });
  const make = () => storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 0 });
  return { study, trials: [await make(), await make()] };
}

/** Everything a reader can see of a study's steps, without ids and times. */
async function stepsSeen(storage: Storage, studyId: number) {
  const feed = await storage.listStepsSince(studyId, 0);
  const trials = await storage.listTrialsChangedSince(studyId, 0);
  return {
    feed: feed.items.map((s) => [s.trialNumber, s.step, s.metrics]),
    trials: trials.items.map((t) => [t.number, t.lastStep]),
    // The feed's marks: the last step's number is the study's latest change once the trials have read past it.
    stepsBeforeTrials: feed.seq < trials.seq,
    metrics: await storage.listStepMetrics(studyId),
    points: (await storage.listTrialPoints(studyId)).map((p) => [p.number, p.steps]),
  };
}

// The dashboard benchmark writes its 500,000 steps with this; its figures hold only if a reader sees what
// recordStep would have left. It writes the schema's tables directly, so a schema change shows here first.
describe('bench: steps written in bulk on PostgreSQL', () => {
  it('leave what recordStep leaves: feed, step counts, last steps, metric names', async () => {
    const url = await database();
    const storage = await PostgresStorage.open(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const one = await twoTrials(storage, 'one-by-one');
      const bulk = await twoTrials(storage, 'in-bulk');
      // Interleaved trials, as a search reports them; a non-finite value, as a diverged run reports it.
      const steps = (ids: readonly number[]): BulkStep[] =>
        [1, 2, 3].flatMap((step) =>
          ids.map((trialId, k) => ({ trialId, step, metrics: { loss: step + k, acc: k === 0 ? 0.5 : Infinity } })),
        );
      for (const s of steps(one.trials.map((t) => t.id))) await storage.recordStep(s.trialId, s.step, s.metrics);
      await writeStepsInBulk(client, bulk.study.id, steps(bulk.trials.map((t) => t.id)));
      const seen = await stepsSeen(storage, bulk.study.id);
      expect(seen.feed).toHaveLength(6);
      expect(seen).toEqual(await stepsSeen(storage, one.study.id));
    } finally {
      await client.end();
      await storage.close();
    }
  });
});
