import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const cli = repoPath('dist/src/cli/main.js');

function validate(file: string, cwd: string) {
  const result = spawnSync(process.execPath, [cli, 'validate', file], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** search-spaces/iris.json with its dataset made absolute and `changes` applied, written alone into `dir`. */
function irisStudy(dir: string, changes: (study: Record<string, any>) => void = () => {}): string {
  const study = JSON.parse(readFileSync(repoPath('search-spaces/iris.json'), 'utf8')) as Record<string, any>;
  delete study.$schema;
  study.data.source = repoPath('datasets/iris.csv');
  changes(study);
  writeFileSync(join(dir, 'study.json'), JSON.stringify(study));
  return 'study.json';
}

describe('autotune validate', () => {
  const dir = useTempDir();

  it('checks a good study, prints its data, space and largest model, exits 0 and writes nothing', () => {
    const out = validate(irisStudy(dir()), dir());
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('study.json: valid study "iris-mlp"');
    expect(out.stdout).toContain('iris.csv: 150 rows, 5 columns; target "species" (classification, tabular input)');
    expect(out.stdout).toContain('space: 5 parameters');
    expect(out.stdout).toMatch(/\n {2}units +choice 8 \| 16 \| 32 \| 64\n/);
    expect(out.stdout).toMatch(/\n {2}learningRate +float \[0\.0030, 0\.1000\] log\n/);
    // Two hidden layers of 64 on 4 features, 3 classes: 4·64+64 + 64·64+64 + 64·3+3 = 4,675.
    expect(out.stdout).toContain('largest model: 4,675 parameters (training.maxParameters 5,000,000): layers=2 units=64');
    expect(readdirSync(dir())).toEqual(['study.json']);
  });

  it('warns when the largest model is over training.maxParameters, as those trials would fail', () => {
    const out = validate(
      irisStudy(dir(), (s) => (s.training.maxParameters = 1000)),
      dir(),
    );
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('largest model: 4,675 parameters (training.maxParameters 1,000)');
    expect(out.stdout).toContain('! over training.maxParameters');
  });

  it('exits 2 on a column that is not in the dataset, naming the JSON path and the column, and writes nothing', () => {
    const out = validate(
      irisStudy(dir(), (s) => (s.data.target = 'specis')),
      dir(),
    );
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/^autotune: study\.json: data\.target: column "specis" is not in .*iris\.csv/);
    expect(readdirSync(dir())).toEqual(['study.json']);
  });

  it('exits 2 on a missing dataset and on a stray word in a numeric column, naming the file and the line', () => {
    const missing = validate(
      irisStudy(dir(), (s) => (s.data.source = join(dir(), 'nowhere.csv'))),
      dir(),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere.csv');
    const stray = validate(
      irisStudy(dir(), (s) => (s.data = { source: repoPath('test/fixtures/stray-word.csv'), target: 'y', task: 'regression' })),
      dir(),
    );
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/stray-word\.csv.*line \d+/);
    expect(readdirSync(dir())).toEqual(['study.json']);
  });

  it('exits 2 on an objective module that is not there, as run now does before creating the database', () => {
    writeFileSync(
      join(dir(), 'study.json'),
      JSON.stringify({ name: 'm', objective: { module: './nope.mjs', direction: 'minimize' }, space: { x: { float: [0, 1] } } }),
    );
    const checked = validate('study.json', dir());
    expect(checked.code).toBe(2);
    expect(checked.stderr.trim()).toBe(`autotune: study.json: objective.module: ${join(dir(), 'nope.mjs')} does not exist`);
    const result = spawnSync(process.execPath, [cli, 'run', 'study.json', '--storage', 'never.db'], { cwd: dir(), encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(checked.stderr);
    expect(readdirSync(dir())).toEqual(['study.json']);
  });

  it('validates an objective-function study without a dataset and exits 2 on a bad space, as run does', () => {
    const fn = validate(repoPath('search-spaces/branin.json'), dir());
    expect(fn.code).toBe(0);
    expect(fn.stdout).toContain('models: none trained (the objective is a function)');
    const bad = validate(repoPath('test/fixtures/bad-study.json'), dir());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('space.units.int[1]: units may be at most 8192');
    expect(readdirSync(dir())).toEqual([]);
  });

  it('uses the checks run makes: run on the same wrong column exits 2 with the same line and creates no database', () => {
    const file = irisStudy(dir(), (s) => (s.data.target = 'specis'));
    const checked = validate(file, dir());
    const result = spawnSync(process.execPath, [cli, 'run', file, '--storage', join(dir(), 'never.db')], { cwd: dir(), encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(checked.stderr);
    expect(readdirSync(dir())).toEqual(['study.json']);
  });
});
