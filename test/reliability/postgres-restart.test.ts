import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/postgres-server.js';
import { useTempDir } from '../helpers/tmp.js';
import { runCli } from './cli.js';
import { announceFile, expectNothingLost, storedStudy, whenAnnounced, writeStudy } from './postgres-study.js';

const BUDGET = 40;
/** How long the server stays down: the fault itself, long enough that every process meets it mid-operation. */
const OUTAGE_MS = 1_500;

describe('the PostgreSQL server restarted in the middle of a study', () => {
  const dir = useTempDir();
  // A server of this file's own, on its own port and data directory: restarting the suite's would break every
  // other test running at the time.
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  }, 60_000);
  afterAll(() => server?.stop());

  it('is finished by the same processes once it is back, with no trial lost or repeated', async () => {
    const file = writeStudy(dir(), 'restart', { trials: BUDGET, parallelism: 2, seed: 11 });
    const announcements = announceFile(dir(), 'restart');
    // 100 ms trials: the study outlasts the restart by a second or more of trials on a loaded machine.
    const env = { AUTOTUNE_TEST_ANNOUNCE: announcements, AUTOTUNE_TEST_SLEEP_MS: '100' };
    const runs = Array.from({ length: 3 }, () => runCli([file, '--storage', server.url], env));
    const exits = Promise.all(runs.map((r) => r.exit));

    await whenAnnounced(announcements, 8, Promise.race(runs.map((r) => r.exit)));
    // A fast shutdown ends every session: queries in flight fail, new connections are refused until it is back.
    await server.restart(() => sleep(OUTAGE_MS));
    const during = await storedStudy(server.url, 'restart');
    expect(during.trials.filter((t) => t.state === 'complete').length, 'the study ended before the restart').toBeLessThan(BUDGET);

    for (const { code, output } of await exits) expect(code, output).toBe(0);
    const { state, trials } = await storedStudy(server.url, 'restart');
    expect(state).toBe('complete');
    expectNothingLost(trials, BUDGET);
  }, 60_000);
});
