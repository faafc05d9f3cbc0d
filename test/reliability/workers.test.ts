import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../src/core/types.js';
import { autotune } from '../../src/index.js';
import { recordCounts } from '../helpers/reliability-log.js';
import { repoPath } from '../helpers/tmp.js';

/** Runs a module objective in the worker pool; resolves to the trials and the thread each completed trial reported. */
async function runModule(module: string, fields: { trials: number; leakMb?: number; training: Record<string, number> }) {
  const threads = new Map<number, number>();
  const result = await autotune(
    {
      name: 'workers',
      objective: { module: repoPath('test/fixtures/objectives', module), direction: 'minimize' },
      search: { trials: fields.trials, parallelism: 1, seed: 3 },
      training: fields.training,
      space: { x: { float: [-1, 1] }, leakMb: fields.leakMb ?? 0 },
    },
    { storage: ':memory:', on: { trialReport: ({ trial, metrics }) => threads.set(trial.number, metrics.thread as number) } },
  );
  return { trials: result.trials, threads: [...threads.entries()].sort(([a], [b]) => a - b).map(([, t]) => t) };
}

/** Trials the run failed for running out of worker heap, counted from their stored reasons. */
const outOfMemory = (trials: readonly TrialRecord[]) => trials.filter((t) => /ran out of memory/.test(t.failReason ?? '')).length;

describe('worker heap limits and recycling', () => {
  it('fails a trial that exhausts its heap with the limit as reason, and completes the others', async () => {
    const { trials } = await runModule('memory-hog.mjs', { trials: 4, training: { workerMemoryMb: 64 } });
    expect(trials.map((t) => t.state)).toEqual(['complete', 'failed', 'complete', 'complete']);
    expect(trials[1]?.failReason).toBe('worker ran out of memory (limit 64 MB)');
    recordCounts({
      'trials out of memory': outOfMemory(trials),
      'other trials completed': trials.filter((t) => t.state === 'complete').length,
    });
  }, 30_000);

  it('replaces a thread after workerMaxTrials trials', async () => {
    const { trials, threads } = await runModule('leaky.mjs', { trials: 7, leakMb: 1, training: { workerMaxTrials: 3 } });
    expect(trials.every((t) => t.state === 'complete')).toBe(true);
    const [a, b, c] = [threads[0], threads[3], threads[6]];
    expect(threads).toEqual([a, a, a, b, b, b, c]);
    expect(new Set([a, b, c]).size).toBe(3);
    recordCounts({ trials: trials.length, 'threads used': new Set(threads).size });
  }, 30_000);

  it('replaces a thread whose heap passes half its limit, before a leak can exhaust it', async () => {
    // 20 MB kept per trial: without recycling, the fifth trial in one thread would pass the 96 MB limit.
    const leakMb = 20;
    const { trials, threads } = await runModule('leaky.mjs', { trials: 10, leakMb, training: { workerMemoryMb: 96 } });
    expect(trials.map((t) => t.failReason)).toEqual(Array(10).fill(null));
    expect(new Set(threads).size).toBeGreaterThanOrEqual(3);
    recordCounts({
      'MB leaked per trial': leakMb,
      trials: trials.length,
      'threads used': new Set(threads).size,
      'trials out of memory': outOfMemory(trials),
    });
  }, 30_000);
});
