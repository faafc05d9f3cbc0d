import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath, useTempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';

const run = runCli;

describe('the autotune command line', () => {
  const dir = useTempDir();

  it('exits 2 on a bad study file, names the path, and does not create the database', () => {
    const db = join(dir(), 'never.db');
    const out = run(['run', repoPath('test/fixtures/bad-study.json'), '--storage', db]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('bad-study.json: invalid study definition');
    expect(out.stderr).toContain('space.units.int[1]: units may be at most 8192');
    expect(existsSync(db)).toBe(false);
  });

  it('exits 2 in one line when schema --out cannot be written, and leaves no file', () => {
    const out = run(['schema', '--out', join(dir(), 'no-such-folder', 'schema.json')]);
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^autotune: --out .*schema\.json: cannot write there \(ENOENT\)$/),
    ]);
    expect(existsSync(join(dir(), 'no-such-folder'))).toBe(false);
  });

  it('exits 2 on a bad command-line override', () => {
    const out = run(['run', repoPath('search-spaces/branin.json'), '--parallelism', '500', '--storage', join(dir(), 'x.db')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('search.parallelism: Too big');
  });

  it('runs a study, then lists and shows it from the database', () => {
    const db = join(dir(), 'cli.db');
    const out = run(['run', repoPath('search-spaces/branin.json'), '--trials', '30', '--storage', db]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/\[30\/30\] trial \d+ complete value=/);
    expect(out.stdout).toMatch(/study "branin-random" complete \(trials\)/);
    const best = Number(/best: trial \d+, value = ([\d.]+)/.exec(out.stdout)?.[1]);
    expect(best).toBeGreaterThan(0.397);
    expect(best).toBeLessThan(10);

    const studies = run(['studies', '--storage', db]);
    expect(studies.code).toBe(0);
    expect(studies.stdout).toMatch(/branin-random.*complete.*30/);
    const show = run(['show', 'branin-random', '--storage', db, '--top', '3']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('study "branin-random" (complete): 30 trials, value minimize');
    expect(show.stdout).toContain(best.toFixed(4));
    expect(run(['show', 'nope', '--storage', db]).code).toBe(2);
  });

  it('exits 1 when the study fails', () => {
    const study = join(dir(), 'failing.json');
    writeFileSync(
      study,
      JSON.stringify({
        name: 'failing',
        objective: { module: repoPath('test/fixtures/objectives/always-throws.mjs'), direction: 'minimize' },
        search: { trials: 10, maxConsecutiveFailures: 3 },
        space: { x: { float: [0, 1] } },
      }),
    );
    const out = run(['run', study, '--storage', join(dir(), 'f.db')]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('failures: objective threw: this objective never works');
  });
});
