import { describe, expect, it } from 'vitest';
import { autotune } from '../../src/index.js';
import { recordCounts } from '../helpers/reliability-log.js';
import { repoPath } from '../helpers/tmp.js';

describe('a failing trial never takes down the study (worker pool)', () => {
  it('records a throw, a NaN, a timeout and a dead worker as one failed trial each, and completes the rest', async () => {
    const result = await autotune({
      space: { x: { float: [-1, 1] } },
      objective: repoPath('test/fixtures/objectives/faulty.mjs'),
      direction: 'minimize',
      trials: 9,
      parallelism: 2,
      seed: 5,
      trialTimeoutSeconds: 2,
    });
    // What test/fixtures/objectives/faulty.mjs injects, by trial number, and the reason each must be stored with.
    const injected: [number, RegExp][] = [
      [1, /^objective threw: deliberate failure$/],
      [2, /^objective returned NaN$/],
      [3, /^timed out after 2 s$/],
      [4, /^worker ended: /],
    ];
    const byNumber = new Map(result.trials.map((t) => [t.number, t]));
    for (const [number, reason] of injected) {
      expect(byNumber.get(number), `trial ${number}`).toMatchObject({ state: 'failed', failReason: expect.stringMatching(reason) });
    }
    const recorded = injected.filter(
      ([number, reason]) => byNumber.get(number)?.state === 'failed' && reason.test(byNumber.get(number)?.failReason ?? ''),
    );
    const complete = result.trials.filter((t) => t.state === 'complete');
    expect(complete.map((t) => t.number).sort((a, b) => a - b)).toEqual([0, 5, 6, 7, 8]);
    expect(complete.every((t) => t.backend === 'worker')).toBe(true);
    expect(result.study.state).toBe('complete');
    recordCounts({
      'faults injected': injected.length,
      'faults recorded as failed trials': recorded.length,
      'trials failed': result.trials.filter((t) => t.state === 'failed').length,
      'trials completed': complete.length,
    });
    expect(result.best.value).toBe(Math.min(...complete.map((t) => t.values?.[0] as number)));
  });
});
