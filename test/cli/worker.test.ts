import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autotune } from '../../src/api/autotune.js';
import { autotuneVersion } from '../../src/core/version.js';
import { openStorage } from '../../src/storage/open.js';
import { CLI, runCli } from '../helpers/cli.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const STUDY = 'iris-join';
const BUDGET = 6;

// Holds the creating run's first trial until the worker has started one of its own, so both processes run trials
// however fast the machine is: a trial imports the loss module in its thread when it starts training.
// The run's thread waits for the worker's marker file to appear (a directory watch: an event, not a poll).
const GATE = `import { existsSync, watch, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
const marker = process.env.AUTOTUNE_JOIN_MARKER;
if (process.env.AUTOTUNE_JOIN_ROLE === 'worker') writeFileSync(marker, 'joined');
else if (process.env.AUTOTUNE_JOIN_ROLE === 'run')
  await new Promise((done) => {
    const watcher = watch(dirname(marker), () => existsSync(marker) && (watcher.close(), done()));
    if (existsSync(marker)) (watcher.close(), done());
  });
export default (tf, yTrue, yPred) => tf.tidy(() => yTrue.mul(yPred.clipByValue(1e-7, 1).log()).sum(-1).neg().mean());
`;

/** A study on iris that trains a linear classifier for two epochs: a trial takes about 0.1 s once a thread is up. */
function writeStudy(dir: string): string {
  copyFileSync(repoPath('datasets/iris.csv'), join(dir, 'iris.csv'));
  writeFileSync(join(dir, 'gate.mjs'), GATE);
  const study = {
    name: STUDY,
    data: { source: 'iris.csv', target: 'species', task: 'classification' },
    objective: { metric: 'val_loss', direction: 'minimize' },
    // Searched trials only: the budget the two processes share is then every trial number.
    search: { sampler: 'random', trials: BUDGET, parallelism: 1, seed: 7, baselines: false },
    training: { epochs: 2, lossModule: 'gate.mjs', keepArtifacts: 0 },
    space: { layers: 0, loss: 'custom', learningRate: { float: [0.01, 0.1], log: true } },
  };
  writeFileSync(join(dir, 'study.json'), JSON.stringify(study));
  return join(dir, 'study.json');
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `autotune ARGS` as a process of its own; `started` resolves when its stdout first contains `ready`. */
function startCli(args: string[], cwd: string, env: Record<string, string>, ready?: string) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0', ...env } });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const started = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (ready === undefined || stdout.includes(ready)) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  // A process that ends before it is ready must not leave the test waiting.
  void finished.then(markReady);
  return { started, finished };
}

/** The trials a process's progress lines say it finished. */
function trialsRunBy(stdout: string): number[] {
  return [...stdout.matchAll(/^\[\d+\/\d+\] trial (\d+) complete/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

async function storedTrials(url: string) {
  const storage = await openStorage(url);
  try {
    const study = await storage.findStudy(STUDY);
    return { study, trials: study ? await storage.listTrials(study.id) : [] };
  } finally {
    await storage.close();
  }
}

describe('autotune worker', () => {
  const dir = useTempDir();
  const database = usePostgresDatabases();

  /** Machine A holds the study file; B and C only a storage URL (and maybe a copy of the dataset). */
  function machines() {
    const [a, b, c] = ['a', 'b', 'c'].map((name) => join(dir(), name)) as [string, string, string];
    for (const m of [a, b, c]) mkdirSync(m);
    return { a, b, c, study: writeStudy(a), marker: join(dir(), 'worker-joined') };
  }

  it('joins a study that run created on PostgreSQL, from a directory with only a copy of its dataset; both share the budget', async () => {
    const url = await database();
    const { a, b, study, marker } = machines();
    const run = startCli(
      ['run', study, '--storage', url],
      a,
      { AUTOTUNE_JOIN_ROLE: 'run', AUTOTUNE_JOIN_MARKER: marker },
      `study "${STUDY}":`,
    );
    await run.started;
    // Machine B keeps its own copy of the dataset (the same bytes) at another path.
    copyFileSync(join(a, 'iris.csv'), join(b, 'iris.csv'));
    const worker = startCli(['worker', '--storage', url, '--study', STUDY, '--data', 'iris.csv'], b, {
      AUTOTUNE_JOIN_ROLE: 'worker',
      AUTOTUNE_JOIN_MARKER: marker,
    });
    const [ran, joined] = await Promise.all([run.finished, worker.finished]);

    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(joined.stderr).toBe('');
    expect(joined.code).toBe(0);
    expect(joined.stdout).toMatch(new RegExp(`^joining study "${STUDY}" \\(\\d+ trials so far; search.trials = ${BUDGET} in total`, 'm'));
    expect(joined.stdout).toContain(`study "${STUDY}" complete (trials) in postgres://`);
    const byRun = trialsRunBy(ran.stdout);
    const byWorker = trialsRunBy(joined.stdout);
    expect(byRun.length).toBeGreaterThan(0);
    expect(byWorker.length).toBeGreaterThan(0);
    expect([...byRun, ...byWorker].sort((x, y) => x - y)).toEqual([...Array(BUDGET).keys()]);

    const { study: record, trials } = await storedTrials(url);
    expect(record?.state).toBe('complete');
    expect(trials.map((t) => t.state)).toEqual(Array(BUDGET).fill('complete'));
    // Without artifacts (keepArtifacts 0) the worker writes nothing beside it: the study lives in the database.
    expect(readdirSync(b)).toEqual(['iris.csv']);
  });

  it('refuses, in one line and writing nothing, a worker whose copy of the dataset has one value changed', async () => {
    const url = await database();
    const { a, c, study } = machines();
    expect(runCli(['run', study, '--storage', url, '--trials', '2', '--quiet'], a).code).toBe(0);
    const before = await storedTrials(url);
    const original = readFileSync(join(a, 'iris.csv'), 'utf8');
    const changed = original.replace('\n5.1,3.5,1.4,0.2,setosa', '\n5.1,3.5,1.4,0.3,setosa');
    expect(changed).not.toBe(original);
    writeFileSync(join(c, 'iris.csv'), changed);

    const out = runCli(['worker', '--storage', url, '--study', STUDY, '--data', 'iris.csv'], c);
    expect(out.code).toBe(2);
    const lines = out.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^autotune: ${join(c, 'iris.csv')}: sha256 [0-9a-f]{12}… is not the file study "${STUDY}" recorded as data.source \\(${join(a, 'iris.csv')}, sha256 [0-9a-f]{12}…\\)`,
      ),
    );
    expect(out.stdout).toBe('');
    expect(await storedTrials(url)).toEqual(before);
    expect(readdirSync(c)).toEqual(['iris.csv']);
  });

  it('refuses a study that does not exist, naming the studies there are', async () => {
    const url = await database();
    const { a, b, study } = machines();
    expect(runCli(['run', study, '--storage', url, '--trials', '1', '--quiet'], a).code).toBe(0);
    const out = runCli(['worker', '--storage', url, '--study', 'iris-typo'], b);
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^autotune: no study named "iris-typo" in postgres://\\S+ \\(its studies: ${STUDY}\\)`)),
    ]);
    expect(out.stdout).toBe('');
  });
});

describe('autotune worker on a SQLite file', () => {
  const dir = useTempDir();

  it('follows the budget of the last run, which resumed the study with --trials, and warns of another autotune version', async () => {
    const db = join(dir(), 'autotune.db');
    const study = writeStudy(dir());
    expect(runCli(['run', study, '--storage', db, '--trials', '2', '--quiet'], dir()).code).toBe(0);
    expect(runCli(['run', study, '--storage', db, '--trials', '3', '--quiet'], dir()).code).toBe(0);
    // --parallelism is this worker's own: not a change to the study's definition, and not stored for others.
    const out = runCli(['worker', '--storage', db, '--study', STUDY, '--parallelism', '3'], repoPath());
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    // The study file says 6; the run that resumed it said 3, and 3 trials are done.
    expect(out.stdout).toContain(
      `joining study "${STUDY}" (3 trials so far; search.trials = 3 in total, its budget is spent, so no new trial will run here), 3 at a time here`,
    );
    expect(trialsRunBy(out.stdout)).toEqual([]);

    // A study last run by another autotune: joined, with one line saying so.
    const storage = await openStorage(db);
    const record = await storage.findStudy(STUDY);
    expect(autotuneVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(record?.systemAttrs.autotune_version).toBe(autotuneVersion());
    await storage.setStudySystemAttr(record!.id, 'autotune_version', '0.0.1');
    await storage.close();
    const again = runCli(['worker', '--storage', db, '--study', STUDY, '--quiet'], repoPath());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('no new trial will run here), 1 at a time here');
    expect(again.stderr.trim()).toBe(
      `autotune: study "${STUDY}" in sqlite:${db} was last run by autotune 0.0.1, and this is ${autotuneVersion()}; install the same version on every machine so that its trials compare`,
    );
  });

  it('refuses a study whose objective is a function in the program that created it, and a database that does not exist', async () => {
    const db = join(dir(), 'inline.db');
    const storage = await openStorage(db);
    await autotune({ name: 'in-code', space: { x: { float: [-1, 1] } }, objective: ({ x }) => (x as number) ** 2, trials: 1, storage });
    await storage.close();
    const out = runCli(['worker', '--storage', db, '--study', 'in-code'], dir());
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toEqual([
      `autotune: study "in-code" in sqlite:${db} optimizes a function given in code (autotune()), which only the program that created it can run`,
    ]);
    const missing = runCli(['worker', '--storage', join(dir(), 'typo.db'), '--study', 'in-code'], dir());
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`autotune: no database at ${join(dir(), 'typo.db')}`);
    expect(readdirSync(dir()).sort()).toEqual(['inline.db']);
  });
});
