import { describe, expect, it } from 'vitest';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { useTempDir } from '../helpers/tmp.js';
import { runCli } from './cli.js';
import { announceFile, expectNothingLost, storedStudy, whenAnnounced, writeStudy } from './postgres-study.js';

const BUDGET = 40;

describe('kill -9 of one of four `autotune run` processes on one PostgreSQL study', () => {
  const dir = useTempDir();
  const database = usePostgresDatabases();

  it('interrupts the trial it was running, which another process retries; no finished trial is lost', async () => {
    const url = await database();
    // A two-second grace (instead of 60) lets the survivors find the victim's trial stale soon after the budget.
    const file = writeStudy(dir(), 'kill9', { trials: BUDGET, parallelism: 1, seed: 9, staleAfterSeconds: 2 });
    const args = [file, '--storage', url];
    // The victim takes long over its trial, so that it is surely inside it when killed; it starts first, so that
    // the others cannot have spent the budget before it has a trial.
    const announcements = announceFile(dir(), 'victim');
    const victim = runCli(args, { AUTOTUNE_TEST_ANNOUNCE: announcements, AUTOTUNE_TEST_SLEEP_MS: '60000' });
    const [started] = await whenAnnounced(announcements, 1, victim.exit);
    // Killed once the others are running trials too.
    const others = announceFile(dir(), 'survivors');
    const survivors = Array.from({ length: 3 }, () => runCli(args, { AUTOTUNE_TEST_ANNOUNCE: others }));
    await whenAnnounced(others, 3, Promise.race(survivors.map((r) => r.exit)));
    victim.child.kill('SIGKILL');
    expect((await victim.exit).code).toBeNull();

    for (const { code, output } of await Promise.all(survivors.map((r) => r.exit))) expect(code, output).toBe(0);
    const { state, trials } = await storedStudy(url, 'kill9');
    expect(state).toBe('complete');
    const killed = trials.find((t) => t.number === started);
    expect(killed).toMatchObject({ state: 'failed', failReason: 'interrupted: the process running it stopped' });
    const retry = trials.find((t) => t.systemAttrs.retry_of === started);
    expect(retry).toMatchObject({ state: 'complete', params: killed?.params, seed: killed?.seed });
    // The victim's trial is the only one interrupted: the budget's trials plus its one retry, all but it complete.
    expect(trials).toHaveLength(BUDGET + 1);
    expectNothingLost(trials, BUDGET);
  }, 60_000);
});
