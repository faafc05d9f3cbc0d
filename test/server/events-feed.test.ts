import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardApp } from '../../src/server/dashboard-app.js';
import { defaultAllowedHosts } from '../../src/server/guards.js';
import { PostgresStorage, SqliteStorage, type Storage } from '../../src/storage/index.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { useTempDir } from '../helpers/tmp.js';
import { call, PORT, TOKEN } from './seed.js';
import { followEvents, updates, type SseEvent } from './sse.js';

const dir = useTempDir();
const postgresDatabase = usePostgresDatabases();

// Each returns a way to open another connection to one fresh store: another process, as the database sees it.
const stores: [string, () => Promise<() => Promise<Storage>>][] = [
  [
    'sqlite',
    async () => {
      const file = join(dir(), 'shared.db');
      return async () => new SqliteStorage(file);
    },
  ],
  [
    'postgres',
    async () => {
      const url = await postgresDatabase();
      return () => PostgresStorage.open(url);
    },
  ],
];

/** Counts the calls the dashboard makes of each storage method, with the arguments of the feed reads. */
function spied(storage: Storage) {
  const calls: { method: string; args: unknown[] }[] = [];
  const proxy = new Proxy(storage, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push({ method: String(key), args });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { storage: proxy, calls };
}

describe.each(stores)('live updates from other processes (%s)', (_name, store) => {
  const open: Storage[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });

  it('streams trials that two other connections finish, as they finish, reading only what changed', async () => {
    const connect = await store();
    const connection = async () => {
      const s = await connect();
      open.push(s);
      return s;
    };
    // Machine A and machine B run trials of one study; the dashboard on machine C has a connection of its own.
    const [a, b, dashboardStorage] = [await connection(), await connection(), await connection()];
    const study = await a.createStudy({ name: 'shared', directions: ['minimize'], config: {} });
    const onA = await a.createTrial(study.id, { state: 'running', params: { x: 1 }, distributions: {}, seed: 1 });
    const onB = await b.createTrial(study.id, { state: 'running', params: { x: 2 }, distributions: {}, seed: 2 });
    const { storage, calls } = spied(dashboardStorage);
    const app = dashboardApp({ storage, token: TOKEN, allowedHosts: defaultAllowedHosts(PORT), events: { pollMs: 25, heartbeatMs: 200 } });
    const stream = followEvents(await call(app, '/api/studies/shared/events'));
    const trialIn = (events: SseEvent[], number: number, state: string) =>
      updates(events).some((u) => u.trials.some((t) => t.number === number && t.state === state));
    try {
      const [opened] = updates(await stream.until((ev) => updates(ev).length > 0));
      expect(opened).toMatchObject({ state: 'running', trials: [], counts: { running: 2, complete: 0 } });

      await a.finishTrial(onA.id, { state: 'complete', values: [0.5] });
      await stream.until((ev) => trialIn(ev, onA.number, 'complete'));
      expect(updates(stream.events).at(-1)).toMatchObject({ counts: { running: 1, complete: 1 }, trials: [{ number: 0, value: 0.5 }] });

      await b.finishTrial(onB.id, { state: 'pruned', values: [0.9], reason: 'asha' });
      const third = await b.createTrial(study.id, { state: 'running', params: { x: 3 }, distributions: {}, seed: 3 });
      await stream.until((ev) => trialIn(ev, onB.number, 'pruned') && trialIn(ev, third.number, 'running'));
      expect(updates(stream.events).at(-1)?.counts).toMatchObject({ running: 1, complete: 1, pruned: 1 });
      const ids = updates(stream.events).map((u) => u.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    } finally {
      await stream.close();
    }
    // Every poll read the feed after the mark it held; the whole study was read once, when the stream opened.
    const feedReads = calls.filter((c) => c.method === 'listTrialsChangedSince');
    expect(feedReads.filter((c) => c.args[1] === 0)).toHaveLength(1);
    expect(feedReads.length).toBeGreaterThan(2);
    expect(calls.filter((c) => c.method === 'listTrials' || c.method === 'pageTrials' || c.method === 'listTrialPoints')).toEqual([]);
  });
});
