import BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../src/storage/index.js';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

describe('SqliteStorage on disk', () => {
  const dir = useTempDir();

  it('returns exactly what was written after the database is closed and reopened', async () => {
    const file = join(dir(), 'reopen.db');
    const first = new SqliteStorage(file);
    const study = await first.createStudy({ name: 'reopen', directions: ['minimize'], config: { nested: [1, 'two', true] } });
    const trial = await first.createTrial(study.id, {
      state: 'running',
      params: { lr: 0.000123456789, model: 'mlp', 'model.mlp.units': 64, bn: false },
      distributions: { lr: { kind: 'float', low: 1e-5, high: 1, log: true } },
      seed: 4_000_000_000,
    });
    for (let step = 1; step <= 5; step++) await first.recordStep(trial.id, step, { loss: 1 / step });
    const finished = await first.finishTrial(trial.id, { state: 'complete', values: [0.2], metrics: { loss: 0.2 }, backend: 'wasm' });
    const steps = await first.listSteps(trial.id);
    await first.close();

    const second = new SqliteStorage(file);
    expect(await second.findStudy('reopen')).toEqual(study);
    expect(await second.getTrial(trial.id)).toEqual(finished);
    expect(await second.listSteps(trial.id)).toEqual(steps);
    await second.close();
  });

  it('runs in WAL mode and records the schema version', async () => {
    const file = join(dir(), 'wal.db');
    await new SqliteStorage(file).close();
    const db = new BetterSqlite3(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('upgrades a database of schema 2: what it held is in the change feed from 0, and later writes after it', async () => {
    const file = join(dir(), 'v2.db');
    const old = new BetterSqlite3(file);
    for (const migration of MIGRATIONS.slice(0, 2)) old.exec(migration);
    old.pragma('user_version = 2');
    old.exec(`INSERT INTO studies (id, name, directions, config, created_at) VALUES (1, 'old', '["minimize"]', '{}', 0);
      INSERT INTO trials (id, study_id, number, state, params, distributions, seed, created_at, last_step, step_count)
        VALUES (1, 1, 0, 'running', '{}', '{}', 7, 0, 2, 2);
      INSERT INTO trial_steps (trial_id, step, metrics, recorded_at) VALUES (1, 1, '{"value":2}', 0), (1, 2, '{"value":1}', 0);`);
    old.close();

    const storage = new SqliteStorage(file);
    const trials = await storage.listTrialsChangedSince(1, 0);
    expect(trials.items.map((t) => t.number)).toEqual([0]);
    const steps = await storage.listStepsSince(1, 0);
    expect(steps.items.map((s) => [s.trialNumber, s.step, s.metrics])).toEqual([
      [0, 1, { value: 2 }],
      [0, 2, { value: 1 }],
    ]);
    await storage.recordStep(1, 3, { value: 0.5 });
    expect((await storage.listStepsSince(1, steps.seq)).items.map((s) => s.step)).toEqual([3]);
    expect((await storage.listTrialsChangedSince(1, trials.seq)).items.map((t) => t.lastStep)).toEqual([3]);
    await storage.close();
  });

  it('refuses a database written by a newer schema', async () => {
    const file = join(dir(), 'newer.db');
    const db = new BetterSqlite3(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => new SqliteStorage(file)).toThrow(/newer than this autotune understands/);
  });
});

describe('a new SQLite file opened by several processes at once', () => {
  const dir = useTempDir();

  it('is migrated once: every process opens it', async () => {
    const storageModule = repoPath('dist/src/storage/sqlite/sqlite-storage.js');
    for (let round = 0; round < 3; round++) {
      const file = join(dir(), `race-${round}.db`);
      const script = `const { SqliteStorage } = await import(${JSON.stringify(storageModule)}); const s = new SqliteStorage(${JSON.stringify(file)}); await s.close();`;
      const runs = Array.from(
        { length: 6 },
        () =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
            let stderr = '';
            child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
            child.on('exit', (code) => resolve({ code, stderr }));
          }),
      );
      for (const { code, stderr } of await Promise.all(runs)) expect(code, stderr).toBe(0);
    }
  });
});
