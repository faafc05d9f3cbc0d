import pg from 'pg';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { artifactRootFor } from '../../src/artifacts/layout.js';
import { InputError, StorageError } from '../../src/core/errors.js';
import { PostgresStorage, openStorage } from '../../src/storage/index.js';
import { MIGRATIONS } from '../../src/storage/postgres/migrations.js';
import { postgresAdminUrl, usePostgresDatabases } from '../helpers/postgres.js';
import { freePort } from '../helpers/ports.js';
import { repoPath } from '../helpers/tmp.js';

// What the shared contract (storage.test.ts) cannot see: several processes on one server, migrations, connections.
const database = usePostgresDatabases();

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const newTrial = (n: number) => ({ state: 'running' as const, params: { n }, distributions: {}, seed: n });

describe('PostgresStorage on a server', () => {
  it('returns exactly what was written after the pool is closed and the database reopened', async () => {
    const url = await database();
    const first = await PostgresStorage.open(url);
    const study = await first.createStudy({ name: 'reopen', directions: ['minimize'], config: { nested: [1, 'two', true] } });
    const trial = await first.createTrial(study.id, {
      state: 'running',
      // Quotes, backslashes and placeholders: trial rows are written as escaped literals (one round trip fewer).
      params: { lr: 0.000123456789, model: 'mlp', 'model.mlp.units': 64, bn: false, note: "it's a \\ back'slash $1 ✓ \u0000?" },
      distributions: { lr: { kind: 'float', low: 1e-5, high: 1, log: true } },
      seed: 4_000_000_000,
    });
    for (let step = 1; step <= 3; step++) await first.recordStep(trial.id, step, { loss: 1 / step });
    await first.setTrialUserAttr(trial.id, `it's "quoted" \\ $1`, { text: "'; DROP TABLE trials; --" });
    const finished = await first.finishTrial(trial.id, { state: 'complete', values: [0.2], metrics: { loss: 0.2 }, backend: 'wasm' });
    const steps = await first.listSteps(trial.id);
    await first.close();

    const second = await openStorage(url);
    expect(second).toBeInstanceOf(PostgresStorage);
    expect(await second.findStudy('reopen')).toEqual(study);
    expect(await second.getTrial(trial.id)).toEqual(finished);
    // biome-ignore lint/complexity/useLiteralKeys: the key holds both kinds of quote, which a template literal writes unescaped.
    expect(finished.userAttrs).toEqual({ [`it's "quoted" \\ $1`]: { text: "'; DROP TABLE trials; --" } });
    expect(await second.listSteps(trial.id)).toEqual(steps);
    await second.close();
  });

  it('stamps trials with the database clock', async () => {
    const url = await database();
    const storage = await PostgresStorage.open(url);
    const dbNow = async () =>
      Number((await query<{ ms: string }>(url, 'SELECT (extract(epoch from clock_timestamp()) * 1000)::bigint AS ms'))[0]?.ms);
    const study = await storage.createStudy({ name: 'clock', directions: ['minimize'], config: {} });
    const before = await dbNow();
    const trial = await storage.createTrial(study.id, newTrial(0));
    const after = await dbNow();
    expect(trial.createdAt).toBeGreaterThanOrEqual(before - 1);
    expect(trial.createdAt).toBeLessThanOrEqual(after + 1);
    expect(trial.heartbeatAt).toBe(trial.createdAt);
    await storage.close();
  });

  it('judges staleness by the database clock, whatever the clock of the machine asking', async () => {
    const storage = await PostgresStorage.open(await database());
    const study = await storage.createStudy({ name: 'skew', directions: ['minimize'], config: {} });
    const trial = await storage.createTrial(study.id, newTrial(0));
    // This machine's clock an hour ahead: a check by local time would take the fresh trial for abandoned.
    const now = Date.now();
    const skew = vi.spyOn(Date, 'now').mockImplementation(() => now + 3_600_000);
    try {
      expect(await storage.failStaleTrials(study.id, 60_000, 'abandoned')).toEqual([]);
      await storage.heartbeat(trial.id);
      expect((await storage.getTrial(trial.id)).heartbeatAt).toBeLessThan(now + 60_000);
    } finally {
      skew.mockRestore();
    }
    expect((await storage.getTrial(trial.id)).state).toBe('running');
    await storage.close();
  });

  it('gives two processes one dense numbering and one trial budget, and each waiting trial to one of them', async () => {
    const url = await database();
    // Two storages hold two pools: to the server they are two processes.
    const [a, b] = await Promise.all([PostgresStorage.open(url), PostgresStorage.open(url)]);
    const study = await a.createStudy({ name: 'shared', directions: ['minimize'], config: {} });
    const made = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).reserveTrial(study.id, { maxTrials: 7 })));
    const reserved = made.filter((r) => r !== null);
    expect(reserved.map((r) => r.number).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(await b.countTrials(study.id)).toBe(7);
    // Each started by the pool that did not reserve it: a reservation is a row, not a connection's state.
    const started = await Promise.all(
      reserved.map((r, i) => (i % 2 === 0 ? b : a).startTrial(r.id, { ...newTrial(r.number), seed: r.number })),
    );
    expect(started.every((t) => t.params.n === t.number && t.state === 'running')).toBe(true);

    const queue = await a.createStudy({ name: 'queue', directions: ['minimize'], config: {} });
    for (let i = 0; i < 5; i++) await a.createTrial(queue.id, { ...newTrial(i), state: 'waiting' });
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).claimWaitingTrial(queue.id)));
    const claimed = claims.filter((t) => t !== null).map((t) => t.number);
    expect(claimed.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4]);
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses a withdrawal or a start of a trial that is no reservation on a pool of one connection, without waiting on itself', async () => {
    const storage = await PostgresStorage.open(`${await database()}?pool_max=1`);
    const study = await storage.createStudy({ name: 'one-connection', directions: ['minimize'], config: {} });
    const created = await storage.createTrial(study.id, newTrial(0));
    await expect(storage.withdrawTrial(created.id, 'nothing left to sample')).rejects.toThrow(/trial 0 is not a reservation/);
    await expect(storage.startTrial(created.id, { params: {}, distributions: {}, seed: 0 })).rejects.toThrow(
      /trial 0 is not a reservation/,
    );
    expect((await storage.getTrial(created.id)).state).toBe('running');
    await storage.close();
  }, 10_000);

  it('holds at most pool_max connections however many queries are in flight', async () => {
    const url = await database();
    const storage = await PostgresStorage.open(`${url}?pool_max=2`);
    const study = await storage.createStudy({ name: 'pool', directions: ['minimize'], config: {} });
    await Promise.all(Array.from({ length: 30 }, () => storage.getStudy(study.id)));
    const name = new URL(url).pathname.slice(1);
    const [row] = await query<{ n: number }>(
      url,
      "SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'autotune'",
      [name],
    );
    expect(row?.n).toBeGreaterThan(0);
    expect(row?.n).toBeLessThanOrEqual(2);
    await storage.close();
  });

  it('records the schema version and refuses a database written by a newer schema', async () => {
    const url = await database();
    await (await PostgresStorage.open(url)).close();
    expect(await query(url, 'SELECT version FROM autotune_schema_version ORDER BY version')).toEqual(
      MIGRATIONS.map((_, i) => ({ version: i + 1 })),
    );
    await query(url, 'INSERT INTO autotune_schema_version (version) VALUES ($1)', [MIGRATIONS.length + 1]);
    await expect(PostgresStorage.open(url)).rejects.toThrow(/newer than this autotune understands/);
  });

  it('upgrades a database of the first schema: notes empty, what existed is change 1 of the feed', async () => {
    const url = await database();
    await query(url, `CREATE TABLE autotune_schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    await query(url, `${MIGRATIONS[0]}; INSERT INTO autotune_schema_version (version) VALUES (1)`);
    await query(url, `INSERT INTO studies (id, name, directions, config, created_at) VALUES (1, 'old', '["minimize"]', '{}', 1)`);
    await query(
      url,
      `INSERT INTO trials (id, study_id, number, state, params, distributions, seed, created_at, started_at, heartbeat_at, step_count)
                      VALUES (1, 1, 0, 'running', '{}', '{}', 0, 1, 1, 1, 1)`,
    );
    await query(url, `INSERT INTO trial_steps (trial_id, step, metrics, recorded_at) VALUES (1, 1, '{"loss":2}', 1)`);
    const storage = await PostgresStorage.open(url);
    expect(await storage.getStudyNote(1)).toEqual({ text: '', version: 0, updatedAt: null });
    expect(await storage.listTrialsChangedSince(1, 0)).toMatchObject({ items: [{ id: 1, number: 0 }], seq: 1 });
    expect(await storage.listStepsSince(1, 0)).toMatchObject({
      items: [{ trialId: 1, trialNumber: 0, step: 1, metrics: { loss: 2 } }],
      seq: 1,
    });
    await storage.recordStep(1, 2, { loss: 1 });
    expect((await storage.listStepsSince(1, 1)).items.map((s) => s.step)).toEqual([2]);
    expect((await storage.listTrialsChangedSince(1, 1)).seq).toBe(2);
    await storage.close();
  });

  it('lets a reader following the feed from another process miss no change, however the writers interleave', async () => {
    const url = await database();
    const [reader, a, b] = await Promise.all([PostgresStorage.open(url), PostgresStorage.open(url), PostgresStorage.open(url)]);
    const study = await a.createStudy({ name: 'feed', directions: ['minimize'], config: {} });
    const trials = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).createTrial(study.id, newTrial(i))));
    const steps = 15;
    let writing = true;
    // Steps, attributes, new trials and claims, then finishes, then two processes failing the rest as stale at once:
    // all compete for the same trials and the same counter.
    const writers = (async () => {
      await Promise.all([
        ...trials.map(async (trial, i) => {
          const storage = i % 2 ? a : b;
          for (let step = 1; step <= steps; step++) await storage.recordStep(trial.id, step, { loss: step });
          await storage.setTrialSystemAttr(trial.id, 'done', true);
        }),
        ...[a, b].map(async (storage) => {
          for (let i = 0; i < 3; i++) {
            await storage.createTrial(study.id, { ...newTrial(100 + i), state: 'waiting' });
            await storage.claimWaitingTrial(study.id);
          }
        }),
      ]);
      await Promise.all(trials.slice(0, 3).map((trial, i) => (i % 2 ? a : b).finishTrial(trial.id, { state: 'complete', values: [i] })));
      await Promise.all([a.failStaleTrials(study.id, -1, 'stale'), b.failStaleTrials(study.id, -1, 'stale')]);
    })().finally(() => (writing = false));
    const seen = new Set<string>();
    let mark = 0;
    for (;;) {
      const last = !writing;
      const read = await reader.listStepsSince(study.id, mark);
      for (const s of read.items) {
        const key = `${s.trialId}:${s.step}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
      expect(read.seq).toBeGreaterThanOrEqual(mark);
      mark = read.seq;
      if (last) break;
    }
    await writers;
    expect(seen.size).toBe(trials.length * steps);
    const final = await reader.listTrialsChangedSince(study.id, 0);
    expect(final.items.map((t) => t.state).sort()).toEqual([...Array(3).fill('complete'), ...Array(9).fill('failed')]);
    expect(final.items.filter((t) => t.systemAttrs.done === true)).toHaveLength(trials.length);
    expect(final.items.map((t) => t.number).sort((x, y) => x - y)).toEqual([...Array(12).keys()]);
    await Promise.all([reader.close(), a.close(), b.close()]);
  });

  it('saves exactly one of two notes written at once from the same version', async () => {
    const url = await database();
    const [a, b] = await Promise.all([PostgresStorage.open(url), PostgresStorage.open(url)]);
    const study = await a.createStudy({ name: 'notes', directions: ['minimize'], config: {} });
    const saves = await Promise.all([a.setStudyNote(study.id, "a's note", 0), b.setStudyNote(study.id, "b's note \\ 'quoted'", 0)]);
    expect(saves.filter((s) => s.saved)).toHaveLength(1);
    const stored = await a.getStudyNote(study.id);
    expect(stored.version).toBe(1);
    for (const save of saves) expect(save.note).toEqual(stored);
    await Promise.all([a.close(), b.close()]);
  });

  it('migrates a new database once when several processes open it at once', async () => {
    const storageModule = repoPath('dist/src/storage/postgres/postgres-storage.js');
    const url = await database();
    const script = `const { PostgresStorage } = await import(${JSON.stringify(storageModule)}); const s = await PostgresStorage.open(process.env.URL); await s.close();`;
    const runs = Array.from(
      { length: 5 },
      () =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, URL: url } });
          let stderr = '';
          child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
          child.on('exit', (code) => resolve({ code, stderr }));
        }),
    );
    for (const { code, stderr } of await Promise.all(runs)) expect(code, stderr).toBe(0);
    expect(await query(url, 'SELECT version FROM autotune_schema_version')).toHaveLength(MIGRATIONS.length);
  });
});

describe('connecting to PostgreSQL', () => {
  /** The error `open` throws, which must be one line that names the URL without its password. */
  async function openError(url: string): Promise<InputError> {
    const error = await PostgresStorage.open(url).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    const message = (error as InputError).message;
    expect(message).not.toContain('\n');
    return error as InputError;
  }

  it('names the URL without its password for a wrong password, an unreachable server, a missing database, a bad URL', async () => {
    const admin = new URL(postgresAdminUrl());
    const wrong = new URL(admin);
    wrong.password = 'not-the-password';
    const wrongPassword = await openError(wrong.toString());
    expect(wrongPassword.message).toContain(`postgres://${admin.username}:***@${admin.host}/postgres`);
    expect(wrongPassword.message).toMatch(/password authentication failed/);
    expect(wrongPassword.message).not.toContain('not-the-password');

    const nobody = await openError(`postgres://u:secret@127.0.0.1:${await freePort()}/db`);
    expect(nobody.message).toMatch(/cannot connect to PostgreSQL at postgres:\/\/u:\*\*\*@127\.0\.0\.1:\d+\/db: connection refused/);
    expect(nobody.message).not.toContain('secret');

    // A host that never answers: bounded by connect_timeout rather than the operating system's minutes.
    const silent = await openError('postgres://u:secret@10.255.255.1:5432/db?connect_timeout=1');
    expect(silent.message).toMatch(/^cannot connect to PostgreSQL at postgres:\/\/u:\*\*\*@10\.255\.255\.1:5432\/db\?connect_timeout=1: /);

    const missing = new URL(admin);
    missing.pathname = '/autotune_no_such_database';
    expect((await openError(missing.toString())).message).toMatch(/autotune_no_such_database.*does not exist/);
    const [row] = await query<{ n: number }>(
      admin.toString(),
      "SELECT COUNT(*)::int AS n FROM pg_database WHERE datname = 'autotune_no_such_database'",
    );
    expect(row?.n).toBe(0);

    expect((await openError('postgres://u:secret@host:notaport/db')).message).toBe(
      'storage "postgres://u:***@host:notaport/db": not a valid URL (expected postgres://user:password@host:5432/database)',
    );
    expect((await openError('postgresql://u:secret@127.0.0.1/db?pool_max=0')).message).toMatch(/pool_max must be a positive integer/);
  });

  it('reports a database lost mid-study as one line naming the URL without its password', async () => {
    const url = await database();
    const storage = await PostgresStorage.open(url);
    const study = await storage.createStudy({ name: 'lost', directions: ['minimize'], config: {} });
    await query(postgresAdminUrl(), `DROP DATABASE ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
    for (const attempt of [() => storage.getStudy(study.id), () => storage.createTrial(study.id, newTrial(0))]) {
      const error = (await attempt().then(
        () => null,
        (e: unknown) => e,
      )) as StorageError;
      expect(error).toBeInstanceOf(StorageError);
      expect(error.message).toMatch(/^PostgreSQL at postgres:\/\/postgres:\*\*\*@/);
      expect(error.message).not.toContain(new URL(url).password);
      expect(error.message).not.toContain('\n');
    }
    await storage.close();
  });

  it('keeps the artifacts of data studies under ./autotune-artifacts, one folder per server and database', async () => {
    const storage = await PostgresStorage.open(await database());
    const { host, port, pathname } = new URL(storage.url);
    expect(artifactRootFor(storage.url)).toBe(
      resolve('autotune-artifacts', `${host.replace(`:${port}`, '')}_${port}_${pathname.slice(1)}`),
    );
    await storage.close();
  });

  it('reports a broken contract as StorageError, not as a connection problem', async () => {
    const storage = await PostgresStorage.open(await database());
    await expect(storage.getStudy(1)).rejects.toThrow(StorageError);
    await storage.close();
  });
});
