import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();

function irisStudy(name: string, space: Record<string, unknown>): string {
  const file = join(tmp(), `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      data: { source: repoPath('datasets/iris.csv'), target: 'species', task: 'classification' },
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      search: { sampler: 'random', trials: 2, seed: 5 },
      training: { epochs: 1, keepArtifacts: 0 },
      space,
    }),
  );
  return file;
}

describe('the baselines in run and show', () => {
  it('prints the lift over the best baseline, and on stdout a warning when no searched model beats it', () => {
    const db = join(tmp(), 'b.db');
    // One epoch at a negligible learning rate: a network still near its random start, below logistic regression.
    const run = runCli(['run', irisStudy('iris-weak', { model: 'linear', learningRate: 1e-6 }), '--storage', db]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Two searched trials and the two baselines, counted together.
    expect(run.stdout).toMatch(/^\[4\/4\] trial \d complete/m);
    const lift = /^lift over best baseline \(logistic, val_accuracy (\d\.\d{4})\): (-\d\.\d{4})$/m.exec(run.stdout);
    expect(lift).not.toBeNull();
    expect(Number(lift![1])).toBeGreaterThan(0.85);
    expect(run.stdout).toMatch(/^warning: no trained model beats the baselines; the best is baseline trial 1 \(logistic\)$/m);
    expect(run.stdout).toMatch(/^best: trial 1, val_accuracy = /m);

    const show = runCli(['show', 'iris-weak', '--storage', db]);
    expect(show.stderr).toBe('');
    expect(show.stdout).toContain(lift![0]);
    expect(show.stdout).toMatch(/^\s+1\s+\d\.\d{4}\s+\S+\s+baseline: model=logistic$/m);
    expect(show.stdout).toMatch(/^\s+0\s+\d\.\d{4}\s+\S+\s+baseline: model=majority$/m);
  });
});
