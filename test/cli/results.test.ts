import { isBaseline } from '../../src/core/annotations.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankCompleted } from '../../src/core/rank.js';
import type { TrialRecord } from '../../src/core/types.js';
import type { StoredEnsemble } from '../../src/ensemble/study-ensemble.js';
import { openStorage } from '../../src/storage/index.js';
import { repoPath } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';

const run = runCli;

/** A small trained study (iris, 4 trials, an ensemble) and an objective-function study with pruned and failed trials, in one database. */
const TRAINED = {
  name: 'iris-results',
  data: { source: repoPath('datasets/iris.csv'), target: 'species', task: 'classification' },
  objective: { metric: 'val_accuracy', direction: 'maximize' },
  search: { sampler: 'random', trials: 4, parallelism: 1, seed: 2 },
  training: { epochs: 8, keepArtifacts: 4 },
  ensemble: { method: 'greedy', size: 5 },
  space: { layers: { int: [1, 2] }, units: { choice: [8, 16] }, learningRate: { float: [0.01, 0.1], log: true } },
};
const FUNCTION = {
  name: 'prunable',
  objective: { module: repoPath('test/fixtures/objectives/prunable.mjs'), direction: 'minimize' },
  search: { sampler: 'random', scheduler: { type: 'median', startupTrials: 2 }, trials: 16, parallelism: 1, seed: 5 },
  ensemble: { method: 'greedy' },
  space: { x: { float: [-2, 6] } },
};

let dir = '';
let db = '';
let trainedRun: ReturnType<typeof run>;
let functionRun: ReturnType<typeof run>;

async function storedTrials(name: string): Promise<{ trials: TrialRecord[]; ensemble: StoredEnsemble | undefined }> {
  const storage = await openStorage(db);
  try {
    const study = (await storage.findStudy(name))!;
    return { trials: await storage.listTrials(study.id), ensemble: study.systemAttrs.ensemble as StoredEnsemble | undefined };
  } finally {
    await storage.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'autotune-results-'));
  db = join(dir, 'results.db');
  writeFileSync(join(dir, 'trained.json'), JSON.stringify(TRAINED));
  writeFileSync(join(dir, 'function.json'), JSON.stringify(FUNCTION));
  trainedRun = run(['run', join(dir, 'trained.json'), '--storage', db, '--quiet']);
  expect(trainedRun.code, trainedRun.stderr).toBe(0);
  functionRun = run(['run', join(dir, 'function.json'), '--storage', db, '--quiet']);
  expect(functionRun.code, functionRun.stderr).toBe(0);
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('what the first hour shows', () => {
  it('run prints the ensemble it built: its members with weights and its scores', async () => {
    const { ensemble } = await storedTrials('iris-results');
    expect(ensemble).toBeDefined();
    const members = ensemble!.members.map((m) => `trial ${m.trial} × ${m.weight.toFixed(3)}`).join(', ');
    expect(trainedRun.stdout).toContain(`ensemble (greedy, from ${ensemble!.candidates} candidates): ${members}`);
    expect(trainedRun.stdout).toMatch(/val_accuracy: validation [\d.]+; test [\d.]+ against the best single trial \d+: [\d.]+/);
  });

  it('run says why it built no ensemble when the study asked for one it cannot have', () => {
    expect(functionRun.stdout).toContain(
      'ensemble: not built (study "prunable" optimizes an objective function: it trained no models, so there are no predictions to ensemble)',
    );
  });

  it('studies prints a plain table: a header of column names, one line per study, no (index) column', async () => {
    const out = run(['studies', '--storage', db]);
    expect(out.code).toBe(0);
    expect(out.stdout).not.toContain('(index)');
    expect(out.stdout).not.toMatch(/[│┌└']/);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^study\s+state\s+complete\s+pruned\s+failed\s+running\s+best\s+direction$/);
    const { trials } = await storedTrials('prunable');
    const count = (state: string) => trials.filter((t) => t.state === state).length;
    expect(lines[2]?.split(/\s+/).slice(0, 6)).toEqual([
      'prunable',
      'complete',
      ...['complete', 'pruned', 'failed', 'running'].map((s) => String(count(s))),
    ]);
    expect(lines[2]?.split(/\s+/).at(-1)).toBe('minimize');
  });

  it('show --state pruned,failed lists those trials with why each stopped', async () => {
    const { trials } = await storedTrials('prunable');
    const ended = trials.filter((t) => t.state === 'pruned' || t.state === 'failed');
    expect(ended.some((t) => t.state === 'pruned') && ended.some((t) => t.state === 'failed')).toBe(true);
    const out = run(['show', 'prunable', '--storage', db, '--state', 'pruned,failed', '--top', '100']);
    expect(out.code, out.stderr).toBe(0);
    const rows = out.stdout.split('\n').filter((l) => /^\s*\d+\s+(pruned|failed)\s/.test(l));
    expect(rows).toHaveLength(ended.length);
    for (const [i, trial] of ended.entries()) {
      expect(rows[i]).toMatch(new RegExp(`^\\s*${trial.number}\\s+${trial.state}\\s`));
      expect(rows[i]).toContain(trial.failReason);
    }
    expect(ended.find((t) => t.state === 'failed')?.failReason).toMatch(/is above 4, out of range/);
    expect(ended.find((t) => t.state === 'pruned')?.failReason).toMatch(/^(median|asha|hyperband): .*step \d/);
    expect(run(['show', 'prunable', '--storage', db, '--state', 'sideways']).code).toBe(2);
  });

  it("show prints the best trial's test metrics", async () => {
    const { trials } = await storedTrials('iris-results');
    const best = rankCompleted(trials, 'maximize')[0]!;
    const out = run(['show', 'iris-results', '--storage', db]);
    expect(out.code, out.stderr).toBe(0);
    const accuracy = best.metrics.test_accuracy!;
    expect(out.stdout).toMatch(new RegExp(`best trial ${best.number} on the test split: .*test_accuracy = ${accuracy.toFixed(4)}`));
  });

  it("export --best records the trial's test score and calls it the best single trial, not an average", async () => {
    const { trials } = await storedTrials('iris-results');
    const best = rankCompleted(trials, 'maximize')[0]!;
    const out = join(dir, 'best-export');
    const exported = run(['export', 'iris-results', '--best', '--out', out, '--storage', db]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`exported the best single trial (trial ${best.number}) from "iris-results"`);
    expect(exported.stdout).not.toContain('average');
    const manifest = JSON.parse(readFileSync(join(out, 'autotune.json'), 'utf8')) as {
      selection: string;
      scores: { test: number | null; bestSingleTest: number | null };
    };
    expect(manifest.selection).toBe('best');
    expect(manifest.scores.test).toBe(best.metrics.test_accuracy);
    expect(manifest.scores.bestSingleTest).toBe(best.metrics.test_accuracy);
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    expect(readme).toContain(`the best single trial (trial ${best.number})`);
    expect(readme).toContain(`test ${best.metrics.test_accuracy!.toFixed(4)}`);
    expect(readme).not.toContain('test —');
  });

  it('export --ensemble calls the export an ensemble by its method and size, with its test score', async () => {
    const { ensemble } = await storedTrials('iris-results');
    const out = join(dir, 'ensemble-export');
    const exported = run(['export', 'iris-results', '--ensemble', '--out', out, '--storage', db]);
    expect(exported.code, exported.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'autotune.json'), 'utf8')) as {
      selection: string;
      members: unknown[];
      scores: { test: number | null };
    };
    expect(manifest.selection).toBe('ensemble');
    expect(manifest.scores.test).toBe(ensemble!.testScore);
    expect(exported.stdout).toContain(`exported a greedy ensemble of ${manifest.members.length} models from "iris-results"`);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain(`(a greedy ensemble of ${manifest.members.length} models)`);
  });

  it('ensemble on an objective-function study says it trained no models, not to raise keepArtifacts', () => {
    const out = run(['ensemble', 'prunable', '--storage', db]);
    expect(out.code).toBe(2);
    expect(out.stderr.trim()).toBe(
      'autotune: study "prunable" optimizes an objective function: it trained no models, so there are no predictions to ensemble',
    );
  });
});

describe('autotune trials', () => {
  it('prints every trial as CSV: state, value, times, last step, backend, reason, params.* and metrics.*', async () => {
    const { trials } = await storedTrials('iris-results');
    const out = run(['trials', 'iris-results', '--storage', db]);
    expect(out.code, out.stderr).toBe(0);
    const rows = parse(out.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(trials.length);
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining([
        'number',
        'state',
        'value',
        'started_at',
        'finished_at',
        'duration_seconds',
        'last_step',
        'backend',
        'reason',
        'params.layers',
        'params.units',
        'params.learningRate',
        'metrics.test_accuracy',
        'metrics.val_accuracy',
      ]),
    );
    for (const [i, trial] of trials.entries()) {
      expect(rows[i]).toMatchObject({
        number: String(trial.number),
        state: trial.state,
        backend: trial.backend,
        last_step: String(trial.lastStep),
      });
      expect(Number(rows[i]!.value)).toBe(trial.values![0]);
      // A baseline's params are its own ({"model": "logistic"}): the searched columns are empty.
      expect(rows[i]!['params.learningRate']).toBe(isBaseline(trial) ? '' : String(trial.params.learningRate));
      expect(Number(rows[i]!['metrics.test_accuracy'])).toBe(trial.metrics.test_accuracy);
      expect(Number(rows[i]!.duration_seconds)).toBe((trial.finishedAt! - trial.startedAt!) / 1000);
    }
  });

  it('writes JSON with the same columns, filters by state, and exits 2 on an unknown study', async () => {
    const { trials } = await storedTrials('prunable');
    const file = join(dir, 'failed.json');
    const out = run(['trials', 'prunable', '--storage', db, '--format', 'json', '--state', 'failed', '--out', file]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe('');
    const rows = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
    const failed = trials.filter((t) => t.state === 'failed');
    expect(rows.map((r) => [r.number, r.state, r.value, r.reason, r['params.x']])).toEqual(
      failed.map((t) => [t.number, 'failed', null, t.failReason, t.params.x]),
    );
    expect(run(['trials', 'nope', '--storage', db]).code).toBe(2);
    expect(run(['trials', 'prunable', '--storage', db, '--format', 'xml']).code).toBe(2);
  });
});
