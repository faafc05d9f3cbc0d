import { existsSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { recordCounts } from '../helpers/reliability-log.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';
import { readDb, runCli, type TrialRow } from './cli.js';

// The issue asks for 20 kills; 8 keep CI near 30 s. `KILL9_MOMENTS=20 npx vitest run test/reliability/kill9.test.ts`
// (or `npm run reliability`) runs the full 20, and KILL9_SEED another sequence of moments.
const MOMENTS = Number(process.env.KILL9_MOMENTS ?? 8);
const SEED = Number(process.env.KILL9_SEED ?? 9);
// The runs between kills complete trials too, more on a quiet machine: about 46 per moment on 2026-12-02, so 40 per
// moment (or 300 at 8 moments) was used up before the last kill, which then found the study finished.
const BUDGET = 120 * MOMENTS;

describe('kill -9 at random moments', () => {
  const dir = useTempDir();

  it(
    `loses and duplicates no finished trial across ${MOMENTS} kills, and the study still reaches its budget`,
    async () => {
      const db = join(dir(), 'kill9.db');
      const file = join(dir(), 'kill9.json');
      writeFileSync(
        file,
        JSON.stringify({
          name: 'kill9',
          objective: { module: repoPath('test/fixtures/objectives/sleepy.mjs'), direction: 'minimize' },
          // A one-second grace (instead of 60) lets the last run retry what the kills left running without a long wait.
          search: { sampler: 'random', trials: BUDGET, parallelism: 2, seed: 4, staleAfterSeconds: 1 },
          space: { x: { float: [-5, 10] }, y: { float: [0, 15] } },
        }),
      );
      const rng = new Rng(SEED);
      const finished = new Map<number, TrialRow>();
      const checkFinishedKept = () => {
        // A kill during start-up may come before the database exists, or before its tables do.
        if (!existsSync(db)) return [];
        const { integrity, trials } = readDb(db);
        expect(integrity).toBe('ok');
        const byNumber = new Map(trials.map((t) => [t.number, t]));
        for (const [number, before] of finished) expect(byNumber.get(number), `trial ${number}`).toEqual(before);
        for (const t of trials) if (t.state === 'complete' || t.state === 'pruned' || t.state === 'failed') finished.set(t.number, t);
        return trials;
      };

      for (let i = 0; i < MOMENTS; i++) {
        const { child, exit } = runCli([file, '--storage', db]);
        // From process start (opening, migrations) to well into the search.
        await sleep(200 + rng.float() * 2000);
        child.kill('SIGKILL');
        const { code } = await exit;
        expect(code, 'the study finished before it was killed: raise BUDGET').toBeNull();
        checkFinishedKept();
      }

      const beforeLast = new Map(finished);
      const last = await runCli([file, '--storage', db]).exit;
      expect(last.code, last.output).toBe(0);
      const trials = checkFinishedKept();
      expect(trials.map((t) => t.number)).toEqual([...trials.keys()]);
      expect(trials.filter((t) => t.state === 'running' || t.state === 'waiting')).toEqual([]);
      expect(readDb(db).studyState).toBe('complete');
      // Retries of interrupted trials may go past the budget; new trials may not.
      const retryOf = (t: TrialRow) => (JSON.parse(t.system_attrs) as { retry_of?: number }).retry_of;
      // A number reserved by a process killed while it sampled was never started: it is failed as interrupted with
      // nothing to retry, and counts against no budget.
      const unstarted = trials.filter((t) => t.started_at === null);
      expect(unstarted.every((t) => t.state === 'failed' && t.params === '{}')).toBe(true);
      const started = trials.filter((t) => t.started_at !== null);
      expect(started.length).toBeGreaterThanOrEqual(BUDGET);
      expect(started.filter((t) => retryOf(t) === undefined).length).toBeLessThanOrEqual(BUDGET);
      const interrupted = started.filter((t) => t.fail_reason?.startsWith('interrupted') && retryOf(t) === undefined);
      const retried = trials.map(retryOf).filter((n) => n !== undefined);
      expect(retried.sort((a, b) => a - b)).toEqual(interrupted.map((t) => t.number));
      const byNumber = new Map(trials.map((t) => [t.number, JSON.stringify(t)]));
      recordCounts({
        'kills survived': MOMENTS,
        'trials finished while being killed': beforeLast.size,
        'trials lost or changed': [...beforeLast].filter(([n, t]) => byNumber.get(n) !== JSON.stringify(t)).length,
        'duplicate trial numbers': trials.length - byNumber.size,
        'interrupted trials retried': retried.length,
        'numbers reserved by a killed process before it sampled': unstarted.length,
        'trials in the end': trials.length,
      });
    },
    Math.max(90_000, 10_000 * MOMENTS),
  );
});
