import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { postgresAdminUrl, usePostgresDatabases } from '../helpers/postgres.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const cli = repoPath('dist/src/cli/main.js');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the command line on PostgreSQL storage', () => {
  const dir = useTempDir();
  const database = usePostgresDatabases();

  it('runs a study into a postgres:// URL and lists it from there, writing no file', async () => {
    const url = await database();
    const out = run(['run', repoPath('search-spaces/branin.json'), '--trials', '12', '--storage', url], dir());
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/\[12\/12\] trial \d+ complete value=/);
    // The URL printed is the one with the password hidden.
    const password = new URL(url).password;
    expect(out.stdout).not.toContain(password);

    const studies = run(['studies', '--storage', url.replace(/^postgres:/, 'postgresql:')], dir());
    expect(studies.code).toBe(0);
    expect(studies.stdout).toMatch(/branin-random.*complete.*12/);
    const show = run(['show', 'branin-random', '--storage', url, '--top', '3'], dir());
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('study "branin-random" (complete): 12 trials, value minimize');
    expect(readdirSync(dir())).toEqual([]);
  });

  it('exits 2 with one line naming the URL without the password when it cannot connect', () => {
    const wrong = new URL(postgresAdminUrl());
    wrong.password = 'wrong-password';
    const out = run(['run', repoPath('search-spaces/branin.json'), '--storage', wrong.toString()], dir());
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toEqual([
      `autotune: cannot connect to PostgreSQL at postgres://${wrong.username}:***@${wrong.host}/postgres: password authentication failed`,
    ]);
    expect(run(['studies', '--storage', wrong.toString()], dir()).code).toBe(2);
    expect(readdirSync(dir())).toEqual([]);
  });
});
