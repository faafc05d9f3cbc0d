import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath, useTempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';

const run = runCli;

/** A small study over `datasets/` or `test/fixtures/`, written into `dir` and changed by `patch`. */
function studyFile(
  dir: string,
  patch: { data?: Record<string, unknown>; objective?: Record<string, unknown>; space?: Record<string, unknown> },
): string {
  const file = join(dir, 'study.json');
  const study = {
    name: 'refused',
    data: { source: repoPath('datasets/diabetes.csv'), target: 'progression', task: 'regression', ...patch.data },
    objective: { metric: 'val_loss', direction: 'minimize', ...patch.objective },
    search: { trials: 2, seed: 1 },
    training: { epochs: 1 },
    space: patch.space ?? { units: { int: [8, 16] } },
  };
  writeFileSync(file, JSON.stringify(study));
  return file;
}

describe('autotune run refuses bad input without writing anything', () => {
  const dir = useTempDir();

  it.each([
    ['a missing dataset', { source: repoPath('datasets/no-such-file.csv') }, /no-such-file\.csv: cannot read the dataset/],
    [
      'a ragged row',
      { source: repoPath('test/fixtures/ragged.csv'), target: 'label', task: 'classification' },
      /ragged\.csv: line 3 has 2 fields, but the header has 3/,
    ],
    ['no target column', { target: 'outcome' }, /data\.target: column "outcome" is not in .*diabetes\.csv/],
    ['a directory', { source: repoPath('datasets') }, /datasets: is a directory, not a dataset file/],
    [
      'a stray word in a numeric column',
      { source: repoPath('test/fixtures/stray-word.csv'), target: 'y' },
      /stray-word\.csv: line 17: column "x" is not numeric \("n\/a"\)/,
    ],
  ])('exits 2 on %s and creates no database file', (_, data, message) => {
    const study = studyFile(dir(), { data });
    const out = run(['run', study, '--storage', join(dir(), 'never.db')]);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).toMatch(/^autotune: .*study\.json: /);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.code).toBe(2);
    expect(readdirSync(dir())).toEqual(['study.json']);
  });

  it('checks the dataset before the dashboard opens the database', () => {
    const study = studyFile(dir(), { data: { target: 'outcome' } });
    const out = run(['run', study, '--storage', join(dir(), 'never.db'), '--dashboard']);
    expect(out.code).toBe(2);
    expect(readdirSync(dir())).toEqual(['study.json']);
  });

  it('refuses an objective metric the task does not report, before any trial trains', () => {
    const study = studyFile(dir(), { objective: { metric: 'val_accuracy', direction: 'maximize' } });
    const out = run(['run', study, '--storage', join(dir(), 'never.db')]);
    expect(out.stderr).toMatch(
      /study\.json: objective\.metric: "val_accuracy" is not reported by a regression task; choose one of .*val_rmse/,
    );
    expect(out.code).toBe(2);
    expect(readdirSync(dir())).toEqual(['study.json']);
  });

  it('refuses a metric that one model family of the space does not report', () => {
    const space = { model: { choice: { mlp: { units: { int: [8, 16] } }, ridge: { alpha: { float: [0.01, 1], log: true } } } } };
    const study = studyFile(dir(), { objective: { metric: 'grad_norm' }, space });
    const out = run(['run', study, '--storage', join(dir(), 'never.db')]);
    expect(out.stderr).toContain('objective.metric: "grad_norm" is not reported by a ridge model (space.model.choice.ridge)');
    expect(out.code).toBe(2);
    expect(readdirSync(dir())).toEqual(['study.json']);
  });
});

describe('autotune run refuses a storage path that cannot hold a database', () => {
  const dir = useTempDir();

  it.each([
    ['inside a file', () => `${repoPath('datasets/wine.csv')}/x.db`, /storage ".*wine\.csv\/x\.db": .*wine\.csv is a file, not a folder$/],
    ['a folder', () => dir(), /storage ".*": .* is a folder; name a database file inside it/],
    [
      'a file that is not SQLite',
      () => repoPath('datasets/wine.csv'),
      /storage ".*wine\.csv": cannot open SQLite database .*: file is not a database$/,
    ],
    ['in /proc', () => '/proc/x.db', /storage "\/proc\/x\.db": cannot open SQLite database \/proc\/x\.db/],
    ['in a folder /proc cannot create', () => '/proc/autotune/x.db', /storage "\/proc\/autotune\/x\.db": cannot open SQLite database/],
  ])('exits 2 with one line for a path %s, even with the dashboard asked for', (_, storage, message) => {
    const out = run(['run', repoPath('search-spaces/branin.json'), '--trials', '1', '--storage', storage(), '--dashboard']);
    expect(out.stderr.trim()).toMatch(message);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.code).toBe(2);
    expect(readdirSync(dir())).toEqual([]);
  });
});
