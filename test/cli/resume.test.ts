import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath, useTempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';

const run = runCli;

describe('autotune run on a study that exists', () => {
  const dir = useTempDir();

  it('says which search settings apply, what budget is left, and warns when it is spent', () => {
    const db = join(dir(), 'resume.db');
    const study = repoPath('search-spaces/branin.json');
    expect(run(['run', study, '--trials', '3', '--storage', db, '--quiet']).code).toBe(0);

    const spent = run(['run', study, '--trials', '3', '--storage', db, '--quiet']);
    expect(spent.code).toBe(0);
    expect(spent.stdout).toContain('resuming study "branin-random" (3 trials so far); search settings unchanged');
    expect(spent.stderr.trim()).toBe(
      'autotune: study "branin-random" already has 3 trials and search.trials = 3 counts the study\'s total, so no new trial will run; raise search.trials (or --trials) to continue it',
    );

    const more = run(['run', study, '--trials', '5', '--storage', db, '--quiet']);
    expect(more.code).toBe(0);
    expect(more.stdout).toContain(
      'resuming study "branin-random" (3 trials so far); this run\'s search settings apply (search.trials: 3 → 5)',
    );
    expect(more.stdout).toContain('budget: search.trials = 5 in total, 2 to go');
    expect(more.stderr).toBe('');
  });
});
