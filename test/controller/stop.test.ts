import { describe, expect, it } from 'vitest';
import { runSearch } from '../../src/controller/search.js';
import { taskBuilder } from '../../src/controller/tasks.js';
import { MemoryStorage, parseStudy, Study } from '../../src/index.js';
import { InlineRunner } from '../../src/training/inline-runner.js';
import type { StudyRecord } from '../../src/core/types.js';
import { gate } from '../helpers/gate.js';
import { recordCounts } from '../helpers/reliability-log.js';

/** Memory storage that opens a gate the first time a read of a study returns it stopped. */
class StopWatchingStorage extends MemoryStorage {
  readonly stopRead = gate();
  override async getStudy(studyId: number): Promise<StudyRecord> {
    const record = await super.getStudy(studyId);
    if (record.state === 'stopped') this.stopRead.open();
    return record;
  }
}

describe('a stop requested through storage', () => {
  it('ends the search: no new trials start, and the study stays stopped', async () => {
    const config = parseStudy(
      {
        name: 'stoppable',
        objective: { direction: 'minimize' },
        search: { sampler: 'random', trials: 1000, parallelism: 1, seed: 1 },
        space: { x: { float: [0, 1] } },
      },
      undefined,
      { inlineObjective: true },
    );
    const storage = new StopWatchingStorage();
    const study = await Study.open(storage, config);
    let calls = 0;
    // Another client (the dashboard) asks for a stop during the tenth trial, which ends once the search has read
    // the stop (its heartbeat polls the study) and the event loop has turned: no sleep decides the order.
    const runner = new InlineRunner(async ({ x }) => {
      if (++calls === 10) {
        await storage.setStudyState(study.id, 'stopped');
        await storage.stopRead.opened;
        await new Promise((r) => setImmediate(r));
      }
      return x as number;
    });
    const summary = await runSearch(study, runner, { taskFor: taskBuilder(config), heartbeatMs: 20 });
    expect(summary.reason).toBe('aborted');
    expect(study.trials.map((t) => t.state)).toEqual(Array(10).fill('complete'));
    expect((await storage.getStudy(study.id)).state).toBe('stopped');
    recordCounts({ 'trials of 1000 run before the stop': study.trials.length });
  });
});

describe('resuming after a crash', () => {
  it('fails trials a dead process left running as interrupted, and retries each once with the same parameters', async () => {
    const config = parseStudy(
      {
        name: 'crashed',
        objective: { direction: 'minimize' },
        search: { sampler: 'random', trials: 4, parallelism: 1, seed: 2 },
        space: { x: { float: [0, 1] } },
      },
      undefined,
      { inlineObjective: true },
    );
    const storage = new MemoryStorage();
    const first = await Study.open(storage, config);
    // The first process asked for a trial and died before telling: no heartbeat ever comes.
    const asked = await first.ask();
    const orphan = asked!.trial;
    const realNow = Date.now;
    Date.now = () => realNow() + 3_600_000;
    try {
      const resumed = await Study.open(storage, config);
      const seen: number[] = [];
      const runner = new InlineRunner(async ({ x }) => {
        seen.push(x as number);
        return x as number;
      });
      await runSearch(resumed, runner, { taskFor: taskBuilder(config) });
    } finally {
      Date.now = realNow;
    }
    const trials = await storage.listTrials(first.id);
    const failed = trials.find((t) => t.number === orphan.number)!;
    expect(failed).toMatchObject({ state: 'failed', failReason: expect.stringMatching(/^interrupted/) });
    const retries = trials.filter((t) => t.systemAttrs.retry_of !== undefined);
    expect(retries.map((t) => t.systemAttrs.retry_of)).toEqual([orphan.number]);
    const retry = retries[0]!;
    expect(retry.state).toBe('complete');
    expect(retry.params).toEqual(orphan.params);
    expect(retry.seed).toBe(orphan.seed);
    expect(trials.filter((t) => t.state === 'complete')).toHaveLength(3);
    expect(new Set(trials.map((t) => t.number)).size).toBe(trials.length);
    recordCounts({ 'interrupted trials retried': retries.length });
  });
});
