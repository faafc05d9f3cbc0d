import { afterAll, describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/core/types.js';
import { InlineRunner } from '../../src/training/inline-runner.js';
import { PiscinaRunner } from '../../src/training/piscina-runner.js';
import type { ModuleTask, TrialOutcome } from '../../src/training/protocol.js';
import type { Runner } from '../../src/training/runner.js';
import { repoPath } from '../helpers/tmp.js';

// One contract, both runners: the controller must not be able to tell where a trial ran, except by `backend`.
// The pool runs compiled workers: `npm run build` first.
const MODULE = repoPath('test/fixtures/objectives/runner-contract.mjs');
const runners: [string, () => Runner<ModuleTask>, string][] = [
  ['inline', () => new InlineRunner(), 'inline'],
  ['pool', () => new PiscinaRunner({ threads: 1 }), 'worker'],
];

const task = (trialNumber: number, outcome: string): ModuleTask => ({
  kind: 'module',
  module: MODULE,
  trialNumber,
  seed: trialNumber,
  params: { outcome, x: 3 },
});

describe.each(runners)('runner contract: %s', (_name, create, backend) => {
  const runner = create();
  afterAll(() => runner.close());

  /** Runs a task, recording its reports; the scheduler (here, the test) stops a trial at `stopAt`. */
  async function run(t: ModuleTask, options: { stopAt?: number; timeoutMs?: number } = {}) {
    const reports: [number, Metrics][] = [];
    const outcome = await runner.run(t, {
      onReport: async (step, metrics) => (reports.push([step, metrics]), { stop: step === options.stopAt }),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs, timeoutGraceMs: 200 } : {}),
    });
    return { outcome, reports };
  }

  it('complete: the returned value, every report in order, and the backend', async () => {
    const { outcome, reports } = await run(task(0, 'complete'));
    expect(outcome).toEqual({ type: 'complete', value: 30, metrics: { value: 30 }, backend } satisfies TrialOutcome);
    expect(reports).toEqual([1, 2, 3, 4].map((s) => [s, { value: 3 * s, step_squared: s * s }]));
  });

  it("pruned: stopped at the step the scheduler said, with that step's metrics", async () => {
    const { outcome, reports } = await run(task(1, 'complete'), { stopAt: 2 });
    expect(outcome).toEqual({ type: 'pruned', step: 2, value: 6, metrics: { value: 6, step_squared: 4 }, backend });
    expect(reports.map(([s]) => s)).toEqual([1, 2]);
  });

  it('failed: a thrown error and a NaN, each with its reason', async () => {
    expect((await run(task(2, 'throw'))).outcome).toEqual({ type: 'failed', reason: 'objective threw: refused x = 3', backend });
    expect((await run(task(3, 'nan'))).outcome).toEqual({ type: 'failed', reason: 'objective returned NaN', backend });
  });

  it('timeout: a trial that never ends fails as timed out once its limit and grace pass', async () => {
    const { outcome, reports } = await run(task(4, 'hang'), { timeoutMs: 300 });
    expect(outcome).toMatchObject({ type: 'failed', reason: expect.stringMatching(/^timed out after 0\.3 s/) });
    expect(reports.map(([s]) => s)).toEqual([1]);
  });
});
