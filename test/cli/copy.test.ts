import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/open.js';
import { runCli } from '../helpers/cli.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const database = usePostgresDatabases();
const tmp = useTempDir();

/** A finished study in a new SQLite file, run by the CLI (an objective function: no models, a few seconds). */
function branin(db: string, cwd: string): void {
  const run = runCli(['run', repoPath('search-spaces/branin.json'), '--trials', '6', '--storage', db, '--quiet'], cwd);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
}

describe('autotune copy and backup', () => {
  it('copies a study to PostgreSQL and backs the server up into a new SQLite file with the same trials', async () => {
    const url = await database();
    branin(join(tmp(), 'laptop.db'), tmp());
    const copy = runCli(['copy', '--from', 'laptop.db', '--to', url], tmp());
    expect(copy.stderr).toBe('');
    expect(copy.code).toBe(0);
    expect(copy.stdout.trim()).toMatch(
      /^copied study "branin-random" \(6 trials, 0 steps, artifacts of 0 trials\) from laptop\.db to postgres:\/\/[^:]+:\*\*\*@/,
    );

    const backup = runCli(['backup', url, 'backup.db'], tmp());
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^backed up postgres:\/\/\S+ to backup\.db \(1 study, 6 trials, a logical copy\)/);
    const [laptop, restored] = await Promise.all([openStorage(join(tmp(), 'laptop.db')), openStorage(join(tmp(), 'backup.db'))]);
    try {
      const trialsOf = async (s: typeof laptop) =>
        (await s.listTrials((await s.findStudy('branin-random'))!.id)).map(({ id: _i, studyId: _s, ...t }) => t);
      expect(await trialsOf(restored)).toEqual(await trialsOf(laptop));
    } finally {
      await Promise.all([laptop.close(), restored.close()]);
    }
  });

  it("re-homes a data study's model files into the database: export works from PostgreSQL once the laptop's are gone", async () => {
    const url = await database();
    const study = join(tmp(), 'iris.json');
    writeFileSync(
      study,
      JSON.stringify({
        name: 'iris-copied',
        data: { source: repoPath('datasets/iris.csv'), target: 'species', task: 'classification' },
        objective: { metric: 'val_accuracy', direction: 'maximize' },
        search: { sampler: 'random', trials: 2, parallelism: 1, seed: 5 },
        training: { epochs: 3 },
        space: { units: { choice: [8, 16] } },
      }),
    );
    const laptop = join(tmp(), 'laptop');
    mkdirSync(laptop);
    const run = runCli(['run', study, '--storage', 'laptop.db', '--quiet'], laptop);
    expect(run.code, run.stderr).toBe(0);
    const copy = runCli(['copy', '--from', 'laptop.db', '--to', url], laptop);
    // Two searched trials of 3 epochs and the two one-step baselines, each with its model.
    expect(copy.stdout).toContain('copied study "iris-copied" (4 trials, 8 steps, artifacts of 4 trials)');
    rmSync(laptop, { recursive: true });
    const exported = runCli(['export', 'iris-copied', '--storage', url, '--out', 'model'], tmp());
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(existsSync(join(tmp(), 'model', 'autotune.json'))).toBe(true);
  });

  it('refuses in one line, exit 2, writing nothing: a name the target has, a study the source lacks, a taken backup file', async () => {
    const url = await database();
    branin(join(tmp(), 'laptop.db'), tmp());
    expect(runCli(['copy', '--from', 'laptop.db', '--to', url], tmp()).code).toBe(0);
    const before = readdirSync(tmp()).sort();

    const again = runCli(['copy', '--from', 'laptop.db', '--to', url], tmp());
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^autotune: postgres:\/\/\S+ already has a study named "branin-random"; nothing copied \(delete it there, or choose one with --study\)$/,
      ),
    ]);
    const missing = runCli(['copy', '--from', 'laptop.db', '--to', 'new.db', '--study', 'nope'], tmp());
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^autotune: no study named "nope" in sqlite:\S+laptop\.db; nothing copied$/),
    ]);
    const noSource = runCli(['copy', '--from', 'absent.db', '--to', 'new.db'], tmp());
    expect(noSource.code).toBe(2);
    expect(noSource.stderr.trim()).toBe('autotune: no database at absent.db');
    const taken = runCli(['backup', url, 'laptop.db'], tmp());
    expect(taken.code).toBe(2);
    expect(taken.stderr.trim()).toBe('autotune: laptop.db exists; choose a new file for the backup');
    expect(readdirSync(tmp()).sort()).toEqual(before);
    expect(existsSync(join(tmp(), 'new.db'))).toBe(false);
  });
});
