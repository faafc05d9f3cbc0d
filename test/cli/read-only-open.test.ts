import pg from 'pg';
import { spawn } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { openStorage } from '../../src/storage/index.js';
import { CLI, runCli } from '../helpers/cli.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { freePort } from '../helpers/ports.js';
import { useTempDir } from '../helpers/tmp.js';

const database = usePostgresDatabases();
const dir = useTempDir();

async function tablesOf(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(text).finally(() => client.end());
}

/** `autotune dashboard` until it prints its URL or exits; a refusal must come before it listens. */
async function dashboard(storage: string, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const port = String(await freePort());
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'dashboard', '--storage', storage, '--port', port], {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('token=')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe("commands that only read, pointed at a database that is not autotune's", () => {
  it('refuse a PostgreSQL database without the autotune schema in one line, exit 2, creating no table', async () => {
    const url = await database();
    // Another application's database: its own table, no autotune schema.
    await sql(url, 'CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    const shown = new URL(url);
    shown.password = '***';
    const expected = `autotune: ${shown.toString()} has no autotune studies (no autotune schema); check the storage URL, or create a study there with autotune run`;
    for (const args of [['studies'], ['show', 'wine'], ['trials', 'wine']]) {
      const out = runCli([...args, '--storage', url], dir());
      expect([out.code, out.stderr.trim().split('\n'), out.stdout], args[0]).toEqual([2, [expected], '']);
    }
    const served = await dashboard(url, dir());
    expect([served.code, served.stderr.trim().split('\n'), served.stdout]).toEqual([2, [expected], '']);
    expect(await tablesOf(url)).toEqual(['invoices']);
    await expect(openStorage(url, { create: false })).rejects.toThrow(InputError);
    expect(await tablesOf(url)).toEqual(['invoices']);
    expect(readdirSync(dir())).toEqual([]);

    // Once a study has been written there (run, worker), reading works.
    await (await openStorage(url)).close();
    expect(await tablesOf(url)).toContain('autotune_schema_version');
    const studies = runCli(['studies', '--storage', url], dir());
    expect([studies.code, studies.stderr]).toEqual([0, '']);
    expect(studies.stdout).toMatch(/no studies in postgres:/);
  });

  it('refuse a SQLite file without the autotune schema, leaving it as it was; a missing file stays missing', async () => {
    const empty = join(dir(), 'empty.db');
    writeFileSync(empty, '');
    for (const args of [['studies'], ['show', 'wine'], ['trials', 'wine']]) {
      const out = runCli([...args, '--storage', empty], dir());
      expect([out.code, out.stderr.trim().split('\n')], args[0]).toEqual([
        2,
        [
          `autotune: ${empty} has no autotune studies (no autotune schema); check the storage URL, or create a study there with autotune run`,
        ],
      ]);
    }
    const served = await dashboard(`sqlite:${empty}`, dir());
    expect(served.code).toBe(2);
    expect(served.stderr.trim().split('\n')).toHaveLength(1);
    expect(statSync(empty).size).toBe(0);
    const missing = runCli(['studies', '--storage', 'nowhere.db'], dir());
    expect([missing.code, missing.stderr.trim()]).toEqual([2, 'autotune: no database at nowhere.db']);
    expect(readdirSync(dir())).toEqual(['empty.db']);
    // A SQLite file that does not exist yet is a new database: the dashboard creates it, for the page to launch into.
    const fresh = await dashboard(join(dir(), 'new.db'), dir());
    expect(fresh.stdout).toMatch(/dashboard for .*new\.db: http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(readdirSync(dir())).toContain('new.db');
  });
});
