import { describe, expect, it } from 'vitest';
import { runSearch } from '../../src/controller/search.js';
import { taskBuilder } from '../../src/controller/tasks.js';
import { MemoryStorage, parseStudy, Study } from '../../src/index.js';
import { InlineRunner } from '../../src/training/inline-runner.js';

describe('a stop requested through storage', () => {
  it('ends the search: no new trials start, and the study stays stopped', async () => {
    const config = parseStudy(
      { name: 'stoppable', objective: { direction: 'minimize' }, search: { sampler: 'random', trials: 1000, parallelism: 1, seed: 1 }, space: { x: { float: [0, 1] } } },
      undefined,
      { inlineObjective: true },
    );
    const storage = new MemoryStorage();
    const study = await Study.open(storage, config);
    let calls = 0;
    // Each trial takes ~5 ms; another client (the dashboard) asks for a stop after the tenth.
    const runner = new InlineRunner(async ({ x }) => {
      calls++;
      if (calls === 10) await storage.setStudyState(study.id, 'stopped');
      await new Promise((r) => setTimeout(r, 5));
      return x as number;
    });
    const summary = await runSearch(study, runner, { taskFor: taskBuilder(config), heartbeatMs: 20 });
    expect(summary.reason).toBe('aborted');
    expect(study.trials.length).toBeGreaterThanOrEqual(10);
    expect(study.trials.length).toBeLessThan(200);
    expect((await storage.getStudy(study.id)).state).toBe('stopped');
  });
});
