import { readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { TrialRecord } from '../../src/core/types.js';
import { PostgresStorage } from '../../src/storage/index.js';
import { repoPath } from '../helpers/tmp.js';

/**
 * A study file of the announcing objective (test/fixtures/objectives/announced.mjs) over two floats, for several
 * `autotune run` processes to share; returns its path.
 */
export function writeStudy(dir: string, name: string, search: Record<string, unknown>): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      objective: { module: repoPath('test/fixtures/objectives/announced.mjs'), direction: 'minimize' },
      search: { sampler: 'random', ...search },
      space: { x: { float: [-5, 10] }, y: { float: [0, 15] } },
    }),
  );
  return file;
}

/** The study's state and its trials in number order, read through a storage of this process. */
export async function storedStudy(url: string, name: string): Promise<{ state: string | undefined; trials: TrialRecord[] }> {
  const storage = await PostgresStorage.open(url);
  try {
    const study = await storage.findStudy(name);
    return { state: study?.state, trials: study ? await storage.listTrials(study.id) : [] };
  } finally {
    await storage.close();
  }
}

/** An empty file for processes to announce their trials in (AUTOTUNE_TEST_ANNOUNCE); returns its path. */
export function announceFile(dir: string, name: string): string {
  const file = join(dir, `${name}.announced`);
  writeFileSync(file, '');
  return file;
}

/** The trial numbers announced in `file` so far, in the order their trials began. */
export function announced(file: string): number[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
}

/**
 * Resolves once `file` (from announceFile) announces at least `count` trials, watching it rather than polling;
 * rejects if `gone` settles first (the processes that should announce have exited), so a broken run fails fast
 * with their output instead of hanging until the test's timeout.
 */
export function whenAnnounced(file: string, count: number, gone: Promise<unknown>): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const watcher = watch(file);
    const check = () => {
      const numbers = announced(file);
      if (numbers.length < count) return;
      watcher.close();
      resolve(numbers);
    };
    watcher.on('change', check);
    void gone.then((why) => {
      watcher.close();
      reject(new Error(`the processes exited before ${count} trials began: ${JSON.stringify(why)}`));
    });
    // A trial may have begun before the watcher existed.
    check();
  });
}

/**
 * The study finished with nothing lost: no trial left running or waiting, numbers dense from 0, exactly `budget`
 * complete trials, and every other trial one that was interrupted and retried once by a trial that completed.
 */
export function expectNothingLost(trials: readonly TrialRecord[], budget: number): void {
  expect(trials.map((t) => t.number)).toEqual([...trials.keys()]);
  expect(trials.filter((t) => t.state === 'complete')).toHaveLength(budget);
  const failed = trials.filter((t) => t.state !== 'complete');
  for (const trial of failed) {
    expect(trial.state, `trial ${trial.number}`).toBe('failed');
    expect(trial.failReason, `trial ${trial.number}`).toMatch(/^interrupted/);
    const retries = trials.filter((t) => t.systemAttrs.retry_of === trial.number);
    expect(
      retries.map((t) => t.state),
      `retries of trial ${trial.number}`,
    ).toEqual(['complete']);
  }
}
