import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath, useTempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';

const run = runCli;

describe('duplicates avoided, on the command line', () => {
  const dir = useTempDir();

  it('run and show print how many repeated configurations were not run', () => {
    const file = join(dir(), 'tiny.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'tiny-space',
        objective: { module: repoPath('test/fixtures/objectives/quadratic.mjs'), direction: 'minimize' },
        search: { sampler: 'random', trials: 10, parallelism: 1, seed: 3 },
        space: { x: { int: [0, 2] }, y: { choice: [-2, -1] } },
      }),
    );
    const db = join(dir(), 'tiny.db');
    const out = run(['run', file, '--storage', db]);
    expect(out.code).toBe(0);
    // Six configurations exist: the seventh ask finds nothing new and the study ends as exhausted.
    expect(out.stdout).toMatch(/study "tiny-space" complete \(exhausted\)/);
    const line = /(\d+) duplicate configurations? not run \((\d+) trials? resampled\)/;
    const printed = line.exec(out.stdout);
    expect(printed).not.toBeNull();
    expect(Number(printed![1])).toBeGreaterThanOrEqual(Number(printed![2]));
    const show = run(['show', 'tiny-space', '--storage', db]);
    expect(show.stdout).toContain(printed![0]);
    expect(show.stdout).toContain('study "tiny-space" (complete): 6 trials');
  });
});
