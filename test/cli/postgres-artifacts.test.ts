import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactRootFor } from '../../src/artifacts/layout.js';
import { readTrialPredictions, readTrialRows } from '../../src/artifacts/trial-artifacts.js';
import { readTable } from '../../src/data/read.js';
import { combine } from '../../src/ensemble/combine.js';
import type { StoredEnsemble } from '../../src/ensemble/study-ensemble.js';
import { loadModel } from '../../src/export/predictor.js';
import { openStorage } from '../../src/storage/open.js';
import { CLI, runCli } from '../helpers/cli.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const database = usePostgresDatabases();
const tmp = useTempDir();

/** `autotune ARGS` in `cwd`, to its end, without blocking the others started alongside. */
function runAsync(args: readonly string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** A process's local folder for the server's artifacts, under its working directory. */
function localRoot(cwd: string, url: string): string {
  return join(cwd, 'autotune-artifacts', basename(artifactRootFor(url)));
}

/** Trial folders a process left in its own working directory, by trial number. */
function localTrials(cwd: string, url: string, study: string): number[] {
  const dir = join(localRoot(cwd, url), study);
  return existsSync(dir)
    ? readdirSync(dir)
        .map((name) => Number(name.replace('trial-', '')))
        .sort((a, b) => a - b)
    : [];
}

/** A small, quick iris study file in the test's directory. */
function irisStudy(name: string, trials: number): string {
  const file = join(tmp(), `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      data: { source: repoPath('datasets/iris.csv'), target: 'species', task: 'classification' },
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      // Trained trials only, so the numbers each machine trained are the budget's.
      search: { sampler: 'random', trials, parallelism: 1, seed: 3, baselines: false },
      // Trained until they agree: an average scoring below its best member would be replaced by it (atLeastBestSingle).
      training: { epochs: 30, keepArtifacts: 8 },
      space: { layers: { int: [1, 2] }, units: { choice: [8, 16] }, learningRate: { float: [0.01, 0.1], log: true } },
    }),
  );
  return file;
}

describe('artifacts in PostgreSQL, with no shared disk', () => {
  it('lets a third machine build the ensemble of trials two others trained, and export it predicting as they did', async () => {
    const url = await database();
    const [machineA, machineB, machineC] = ['a', 'b', 'c'].map((name) => {
      const dir = join(tmp(), name);
      mkdirSync(dir);
      return dir;
    }) as [string, string, string];
    const studyFile = irisStudy('iris-machines', 8);
    // Two processes on one study, each in its own working directory: neither can see the other's files.
    const runs = await Promise.all([machineA, machineB].map((cwd) => runAsync(['run', studyFile, '--storage', url, '--quiet'], cwd)));
    for (const run of runs) expect(run.stderr).toBe('');
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const [trainedA, trainedB] = [localTrials(machineA, url, 'iris-machines'), localTrials(machineB, url, 'iris-machines')];
    expect(trainedA.length).toBeGreaterThan(0);
    expect(trainedB.length).toBeGreaterThan(0);
    expect([...trainedA, ...trainedB].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The test's "machines" share this disk: remove what A and B wrote, as C on its own machine could never see it.
    rmSync(machineA, { recursive: true });
    rmSync(machineB, { recursive: true });

    const ensemble = runCli(['ensemble', 'iris-machines', '--storage', url, '--method', 'average', '--size', '8'], machineC);
    expect(ensemble.stderr).toBe('');
    expect(ensemble.code).toBe(0);
    const out = join(machineC, 'export');
    const exported = runCli(['export', 'iris-machines', '--storage', url, '--ensemble', '--out', out], machineC);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);

    const storage = await openStorage(url);
    const study = (await storage.findStudy('iris-machines'))!;
    const stored = study.systemAttrs.ensemble as StoredEnsemble;
    await storage.close();
    // Every member was trained on A or B, and is read on C from its own copy of the database's files.
    const members = stored.members.map((m) => m.trial);
    expect(members.length).toBe(8);
    expect(members.some((n) => trainedA.includes(n)) && members.some((n) => trainedB.includes(n))).toBe(true);
    expect(localTrials(machineC, url, 'iris-machines')).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const memberDir = (n: number) => join(localRoot(machineC, url), 'iris-machines', `trial-${n}`);
    const predictions = new Map(members.map((n) => [n, readTrialPredictions(memberDir(n)).test]));
    const expected = combine(
      members,
      stored.members.map((m) => m.weight),
      predictions,
    );

    // The exported ensemble, on the raw held-out rows, gives what the members predicted when they were trained.
    const { test } = readTrialRows(memberDir(members[0]!));
    const table = readTable(test.file);
    const rows = test.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, table.rows[r]![i] as string])));
    const predictor = await loadModel(out);
    try {
      const probabilities = predictor.predictProba(rows).flat();
      expect(probabilities).toHaveLength(expected.length);
      probabilities.forEach((p, i) => expect(p).toBeCloseTo(expected[i] as number, 5));
    } finally {
      predictor.dispose();
    }
  });

  it('keeps the files in the directory --artifacts names (a mounted share) instead of the database', async () => {
    const url = await database();
    const [machineA, machineB, share] = ['a', 'b', 'share'].map((name) => {
      const dir = join(tmp(), name);
      mkdirSync(dir);
      return dir;
    }) as [string, string, string];
    const run = runCli(['run', irisStudy('iris-share', 2), '--storage', url, '--artifacts', share, '--quiet'], machineA);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readdirSync(join(share, 'iris-share')).sort()).toEqual(['trial-0', 'trial-1']);
    expect(readdirSync(machineA)).toEqual([]);
    const storage = await openStorage(url);
    const study = (await storage.findStudy('iris-share'))!;
    const trials = await storage.listTrials(study.id);
    expect((await storage.listArtifacts(trials[0]!.id))[0]!.uri).toBe(join(share, 'iris-share', 'trial-0'));
    expect(await storage.files!.listFiles(trials[0]!.id)).toEqual([]);
    await storage.close();
    const exported = runCli(['export', 'iris-share', '--storage', url, '--out', 'model'], machineB);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(readdirSync(machineB)).toEqual(['model']);
  });
});
