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
    const byNumber = new Map(result.trials.map((t) => [t.number, t]));
    expect(byNumber.get(1)).toMatchObject({ state: 'failed', failReason: 'objective threw: deliberate failure' });
    expect(byNumber.get(2)).toMatchObject({ state: 'failed', failReason: 'objective returned NaN' });
    expect(byNumber.get(3)).toMatchObject({ state: 'failed', failReason: 'timed out after 2 s' });
    expect(byNumber.get(4)?.state).toBe('failed');
    expect(byNumber.get(4)?.failReason).toMatch(/^worker ended: /);
    const complete = result.trials.filter((t) => t.state === 'complete');
    expect(complete.map((t) => t.number).sort((a, b) => a - b)).toEqual([0, 5, 6, 7, 8]);
    expect(complete.every((t) => t.backend === 'worker')).toBe(true);
    expect(result.study.state).toBe('complete');
    recordCounts({ 'faults injected': 4, 'trials failed': result.trials.filter((t) => t.state === 'failed').length, 'trials completed': complete.length });
    expect(result.best.value).toBe(Math.min(...complete.map((t) => t.values?.[0] as number)));
  });
});
