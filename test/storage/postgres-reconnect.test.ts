import { afterEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/core/errors.js';
import { PostgresStorage } from '../../src/storage/index.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

// Connection faults between one process and the server, made on cue by a proxy; the restart of a real server with
// several processes is test/reliability/postgres-restart.test.ts.
const database = usePostgresDatabases();
const running = { state: 'running' as const, params: { x: 1 }, distributions: {}, seed: 1 };

describe('PostgresStorage when its connection fails', () => {
  const opened: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const thing of opened.splice(0)) await thing.close();
  });

  /** A storage of a fresh database reached through a proxy (one connection, so the proxy sees every request on it), and a direct one. */
  async function setUp(params = '') {
    const url = await database();
    const target = new URL(url);
    const proxy = await TcpProxy.start(target.hostname, Number(target.port));
    opened.push(proxy);
    const storage = await PostgresStorage.open(`${proxy.urlFor(url)}?pool_max=1${params}`);
    const direct = await PostgresStorage.open(url);
    opened.unshift(storage, direct);
    const study = await storage.createStudy({ name: 'faults', directions: ['minimize'], config: {} });
    const trial = await storage.createTrial(study.id, running);
    return { proxy, storage, direct, study, trial };
  }

  it('waits out a server that refuses connections, then writes the heartbeat, the step and the finish', async () => {
    const { proxy, storage, direct, trial } = await setUp();
    proxy.refuse(true);
    const writes = (async () => {
      await storage.heartbeat(trial.id);
      await storage.recordStep(trial.id, 1, { loss: 0.5 });
      return storage.finishTrial(trial.id, { state: 'complete', values: [0.5] });
    })();
    // Writes that give up instead of waiting end the race (and the test) at once.
    await Promise.race([proxy.refused(3), writes]);
    proxy.refuse(false);
    expect(await writes).toMatchObject({ state: 'complete', values: [0.5] });
    expect(await direct.listSteps(trial.id)).toMatchObject([{ step: 1, metrics: { loss: 0.5 } }]);
  });

  it('runs a transaction again from its start when the connection is cut before its COMMIT', async () => {
    const { proxy, storage, direct, study } = await setUp();
    const builtFor: number[] = [];
    // The first of its two requests (BEGIN, the counter's lock, the count): the server rolls it back and releases
    // the lock, so the repeat takes the same number without waiting on the lost session.
    proxy.loseReply();
    const trial = await storage.createTrial(study.id, { ...running, seed: (number: number) => (builtFor.push(number), 7) });
    expect(builtFor).toEqual([1]);
    expect(trial?.number).toBe(1);
    expect((await direct.listTrials(study.id)).map((t) => t.number)).toEqual([0, 1]);
  });

  it('leaves a trial whose COMMIT committed unacknowledged running, for the reaper to interrupt and retry', async () => {
    const { proxy, storage, direct, study } = await setUp();
    const builtFor: number[] = [];
    // The second request (the INSERT and COMMIT) commits, its reply is lost, and the repeat makes another trial:
    // the cost of a lost acknowledgement of a creation, documented in PostgresStorage.query.
    proxy.loseReply(1);
    const trial = await storage.createTrial(study.id, { ...running, seed: (number: number) => (builtFor.push(number), 7) });
    expect(builtFor).toEqual([1, 2]);
    expect(trial?.number).toBe(2);
    const stale = await direct.failStaleTrials(study.id, -1, 'interrupted: the process running it stopped');
    expect(stale.map((t) => t.number)).toEqual([0, 1, 2]);
  });

  it('takes a finish whose reply was lost as done, since the trial holds exactly what it wrote', async () => {
    const { proxy, storage, direct, trial } = await setUp();
    proxy.loseReply();
    const finished = await storage.finishTrial(trial.id, { state: 'complete', values: [0.25] });
    expect(finished).toMatchObject({ id: trial.id, state: 'complete', values: [0.25] });
    expect(await direct.getTrial(trial.id)).toMatchObject({ state: 'complete', values: [0.25] });
    // Only its own write counts: a different end of the finished trial is still refused.
    await expect(storage.finishTrial(trial.id, { state: 'failed', reason: 'late' })).rejects.toThrow(/trial 0 is complete/);
  });

  it('gives up after retry_for with one line naming the server, leaving the trial running for a retry', async () => {
    const { proxy, storage, direct, trial } = await setUp('&retry_for=1');
    proxy.refuse(true);
    // How long it waits is the retry policy's, pinned on a clock of its own in postgres-retry.test.ts.
    const error = (await storage.finishTrial(trial.id, { state: 'complete', values: [1] }).catch((e: unknown) => e)) as StorageError;
    expect(error).toBeInstanceOf(StorageError);
    expect(error.message).toMatch(
      /^PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/autotune_test_\w+\?pool_max=1&retry_for=1: /,
    );
    expect(error.message).not.toContain('\n');
    expect(proxy.refusedCount).toBeGreaterThan(1);
    proxy.refuse(false);
    // Nothing was written: the trial is running, so a reaper finds it stale and queues its retry.
    expect(await direct.getTrial(trial.id)).toMatchObject({ state: 'running', values: null });
    expect(await direct.failStaleTrials(trial.studyId, -1, 'interrupted: the process running it stopped')).toHaveLength(1);
  });
});
