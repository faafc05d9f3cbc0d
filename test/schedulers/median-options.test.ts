import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../src/core/types.js';
import { autotune } from '../../src/index.js';
import type { ObjectiveContext } from '../../src/training/objective.js';

const STEPS = 10;

/**
 * Runs trials one at a time: the first `good` learn steadily (10 − step, minimize); every later one keeps pace
 * until step 6 and then stalls at 4, so the median passes it at step 7. Resolves to each trial's state and the
 * last step it reported (where a stopped trial was stopped).
 */
async function medianStudy(scheduler: { startupTrials: number; warmupSteps: number; interval: number }, good: number, trials: number) {
  const objective = async (_params: unknown, ctx: ObjectiveContext) => {
    let value = Number.NaN;
    for (let step = 1; step <= STEPS; step++) {
      value = ctx.trialNumber < good ? 10 - step : 10 - Math.min(step, 6);
      await ctx.report(step, value);
      if (ctx.shouldStop()) break;
    }
    return value;
  };
  const result = await autotune({
    space: { x: { float: [0, 1] } },
    objective,
    trials,
    seed: 1,
    scheduler: { type: 'median', ...scheduler },
  });
  return result.trials.map((t: TrialRecord) => [t.state, t.lastStep]);
}

describe('median stopping options, through a real search', () => {
  it('stops a stalled trial at the first step the median passes it, with no warm-up and every step checked', async () => {
    expect(await medianStudy({ startupTrials: 1, warmupSteps: 0, interval: 1 }, 2, 3)).toEqual([
      ['complete', STEPS],
      ['complete', STEPS],
      ['pruned', 7],
    ]);
  });

  it('startupTrials: nothing is stopped until that many complete trials reported at the step', async () => {
    // Three good trials, then two stalled ones: with 4 required, the first stalled trial sees only 3 and runs on
    // (it completes, and is the fourth); the second is stopped.
    expect(await medianStudy({ startupTrials: 4, warmupSteps: 0, interval: 1 }, 3, 5)).toEqual([
      ['complete', STEPS],
      ['complete', STEPS],
      ['complete', STEPS],
      ['complete', STEPS],
      ['pruned', 7],
    ]);
  });

  it('warmupSteps: a trial is never stopped at or before that step', async () => {
    expect(await medianStudy({ startupTrials: 1, warmupSteps: 8, interval: 1 }, 2, 3)).toEqual([
      ['complete', STEPS],
      ['complete', STEPS],
      ['pruned', 9],
    ]);
  });

  it('interval: after the warm-up, only every interval-th step is a decision', async () => {
    // Warm-up 4, interval 3: decisions at steps 5, 8, …; the stall shows at 7, so the stop comes at 8.
    expect(await medianStudy({ startupTrials: 1, warmupSteps: 4, interval: 3 }, 2, 3)).toEqual([
      ['complete', STEPS],
      ['complete', STEPS],
      ['pruned', 8],
    ]);
  });
});
