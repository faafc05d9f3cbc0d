import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../src/storage/memory.js';
import { runSearch } from '../../src/controller/search.js';
import { Study } from '../../src/controller/study.js';
import { taskBuilder, workerTaskBuilder } from '../../src/controller/tasks.js';
import type { TrialRecord } from '../../src/core/types.js';
import { parseStudy } from '../../src/space/index.js';
import { InlineRunner } from '../../src/training/inline-runner.js';
import { PiscinaRunner } from '../../src/training/piscina-runner.js';
import type { FunctionTask, TrialTask } from '../../src/training/protocol.js';
import type { RunHooks, Runner } from '../../src/training/runner.js';
import { repoPath } from '../helpers/tmp.js';

const moduleStudy = parseStudy({
  name: 'module-study',
  objective: { module: repoPath('test/fixtures/objectives/prunable.mjs'), direction: 'minimize' },
  search: { trials: 3, seed: 4, scheduler: { type: 'median', startupTrials: 1, warmupSteps: 1 } },
  space: { x: { float: [0, 4] } },
});
const functionStudy = parseStudy(
  { name: 'function-study', objective: { direction: 'minimize' }, space: { x: { float: [0, 1] } } },
  undefined,
  { inlineObjective: true },
);
const trial = { number: 2, seed: 99 } as TrialRecord;

/**
 * Never called: `tsc -p tsconfig.test.json` (run by `npm test`) checks it, and each `@ts-expect-error` fails that
 * build if the compiler stops refusing the line under it. Before, the pool took any task and failed a function
 * objective at run time.
 */
function refusedByType(pool: PiscinaRunner, fn: FunctionTask, hooks: RunHooks, study: Study): void {
  // @ts-expect-error a function objective cannot cross to a worker thread
  void pool.run(fn, hooks);
  // @ts-expect-error nor may the pool stand in for a runner of every task kind
  const everyKind: Runner<TrialTask> = pool;
  // @ts-expect-error the search loop pairs a runner with the tasks it can run
  void runSearch(study, pool, { taskFor: taskBuilder(functionStudy) });
  const inline: Runner<TrialTask> = new InlineRunner();
  void [everyKind, inline];
}

// Referenced, never called: only the compiler reads it.
void refusedByType;

describe('which runner runs which task', () => {
  it('builds worker tasks for a module study, and refuses to for a study whose trials call a function', () => {
    expect(workerTaskBuilder(moduleStudy)(trial, { x: 1 })).toEqual({
      trialNumber: 2,
      seed: 99,
      params: { x: 1 },
      kind: 'module',
      module: repoPath('test/fixtures/objectives/prunable.mjs'),
    });
    expect(taskBuilder(functionStudy)(trial, { x: 1 })).toEqual({ trialNumber: 2, seed: 99, params: { x: 1 }, kind: 'function' });
    expect(() => workerTaskBuilder(functionStudy)).toThrow(
      'study "function-study" has neither data nor objective.module: its trials need the inline runner and a function',
    );
  });

  it('a pool trial reports every step over its own port and stops when the scheduler says so', async () => {
    const study = await Study.open(new MemoryStorage(), moduleStudy);
    const reports: Array<[number, number]> = [];
    study.events.on('trialReport', ({ trial: t, step }) => reports.push([t.number, step]));
    const runner = new PiscinaRunner({ threads: 1 });
    try {
      const summary = await runSearch(study, runner, { taskFor: workerTaskBuilder(moduleStudy) });
      expect(summary.reason).toBe('trials');
    } finally {
      await runner.close();
    }
    // Seeded: the third trial is worse than the median at step 2 and is told to stop there, over its port.
    expect(study.trials.map((t) => [t.state, t.lastStep])).toEqual([
      ['complete', 5],
      ['complete', 5],
      ['pruned', 2],
    ]);
    // Every step a worker sent arrived, in order, and the stop decision went back before a third step.
    expect(reports).toEqual([0, 1, 2].flatMap((n) => Array.from({ length: n === 2 ? 2 : 5 }, (_, i) => [n, i + 1])));
  });
});
