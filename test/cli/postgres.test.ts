import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('resumes a study as on SQLite: the notice and budget, progress and summary, and a changed definition refused', async () => {
    const url = await database();
    const study = repoPath('search-spaces/branin.json');
    expect(run(['run', study, '--trials', '3', '--storage', url, '--quiet'], dir()).code).toBe(0);
    const more = run(['run', study, '--trials', '5', '--storage', url], dir());
    expect(more.stderr).toBe('');
    expect(more.code).toBe(0);
    expect(more.stdout).toContain(
      'resuming study "branin-random" (3 trials so far); this run\'s search settings apply (search.trials: 3 → 5)',
    );
    expect(more.stdout).toContain('budget: search.trials = 5 in total, 2 to go');
    expect(more.stdout).toMatch(/^\[5\/5\] trial \d+ complete value=/m);
    expect(more.stdout).toMatch(/^study "branin-random" complete \(trials\) in postgres:\/\/\S+:\*\*\*@/m);

    // The same name with another space: refused before anything is written, the URL's password hidden.
    const changed = JSON.parse(readFileSync(study, 'utf8')) as { space: { x: { float: number[] } }; objective: { module: string } };
    changed.space.x.float = [-5, 5];
    changed.objective.module = repoPath('search-spaces/objectives/branin.mjs');
    const file = join(dir(), 'branin-narrow.json');
    writeFileSync(file, JSON.stringify(changed));
    const refused = run(['run', file, '--trials', '8', '--storage', url], dir());
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^autotune: a study named "branin-random" already exists in postgres:\/\/\S+:\*\*\*@\S+ with a different definition \(space\.x\.float: \[-5,10\] → \[-5,5\]\)/,
      ),
    ]);
    const studies = run(['studies', '--storage', url], dir());
    expect(studies.stdout).toMatch(/branin-random.*complete.*5/);
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
