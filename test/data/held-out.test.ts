import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrialPredictions, readTrialRows } from '../../src/artifacts/trial-artifacts.js';
import { readStudyTables } from '../../src/data/held-out.js';
import { prepareDataset } from '../../src/data/prepare.js';
import { readTable } from '../../src/data/read.js';
import { fittedPreprocessing, transformRows } from '../../src/data/fitted-preprocessing.js';
import { autotune } from '../../src/index.js';
import { loadStudyFile, parseStudy } from '../../src/space/index.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const TRAIN = repoPath('test/fixtures/held-out/wine-train.csv');
const TEST = repoPath('test/fixtures/held-out/wine-test.csv');

function dataConfig(data: Record<string, unknown>) {
  return parseStudy({ name: 'd', objective: { direction: 'maximize', metric: 'val_accuracy' }, data, space: { loss: 'auto' } }).data!;
}

const wine = (test = TEST) => dataConfig({ source: TRAIN, test: { source: test }, target: 'cultivar', task: 'classification' });

/** A table's data rows as objects keyed by column name, as a user would hand them to a predictor. */
function objects(file: string): Record<string, string>[] {
  const table = readTable(file);
  return table.rows.map((cells) => Object.fromEntries(table.columns.map((c, i) => [c, cells[i] ?? ''])));
}

describe('a dataset that ships its own test file (data.test)', () => {
  const dir = useTempDir();

  it('uses every row of the test file as the test split, preprocessed with what was fitted on the training split', () => {
    const data = wine();
    const { table, testTable } = readStudyTables(data);
    const dataset = prepareDataset(table, data, 3, undefined, testTable);
    expect(dataset.test.rows).toBe(36);
    expect(dataset.train.rows + dataset.validation.rows).toBe(142);
    expect(dataset.sourceRows!.test).toEqual(Array.from({ length: 36 }, (_, i) => i));
    // The test file's columns are in reverse order; its examples are exactly what the fitted preprocessing makes of them.
    const expected = transformRows(fittedPreprocessing(dataset, data), objects(TEST));
    Array.from(dataset.test.x).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
    const labels = readTable(TEST).rows.map((r) => r[0]);
    expect(Array.from(dataset.test.y, (y) => dataset.labels[y])).toEqual(labels);
    // Scaling statistics come from the training rows of the source alone.
    const train = objects(TRAIN).filter((_, i) => dataset.sourceRows!.train.includes(i));
    const prolineMean = train.reduce((s, r) => s + Number(r.proline), 0) / train.length;
    expect(dataset.featureScaler.mean[dataset.featureNames.indexOf('proline')]).toBeCloseTo(prolineMean, 6);
  });

  it('reads a text test file through the training vocabulary', () => {
    const lines = readFileSync(repoPath('datasets/spam_assassin.jsonl'), 'utf8').trimEnd().split('\n');
    const [train, test] = [join(dir(), 'train.jsonl'), join(dir(), 'test.jsonl')];
    writeFileSync(train, lines.slice(0, 600).join('\n'));
    writeFileSync(test, lines.slice(600, 700).join('\n'));
    const data = dataConfig({
      source: train,
      test: { source: test },
      target: 'label',
      task: 'classification',
      features: ['text'],
      input: { kind: 'text', maxVocabulary: 500 },
    });
    const { table, testTable } = readStudyTables(data);
    const dataset = prepareDataset(table, data, 1, undefined, testTable);
    expect(dataset.test.rows).toBe(100);
    const texts = lines.slice(600, 700).map((l) => (JSON.parse(l) as { text: string }).text);
    const expected = transformRows(fittedPreprocessing(dataset, data), texts);
    Array.from(dataset.test.x).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
  });

  it('refuses a test file whose columns differ, a stray word in it, and a class the source lacks, naming the file, line and column', () => {
    const header = readFileSync(TEST, 'utf8').split('\n')[0]!;
    const rows = readFileSync(TEST, 'utf8').trimEnd().split('\n').slice(1);
    const write = (name: string, text: string) => {
      const file = join(dir(), name);
      writeFileSync(file, text);
      return file;
    };
    const missing = write('missing.csv', [header.replace(',proline', ''), ...rows.map((r) => r.replace(/,\d+,/, ','))].join('\n'));
    expect(() => readStudyTables(wine(missing))).toThrow(
      `${missing}: data.test.source has no column "proline" (it needs the columns of ${TRAIN})`,
    );
    const extra = write('extra.csv', [`${header},id`, ...rows.map((r, i) => `${r},${i}`)].join('\n'));
    expect(() => readStudyTables(wine(extra))).toThrow(`${extra}: data.test.source has column "id", which ${TRAIN} does not`);

    const prepare = (file: string) => {
      const data = wine(file);
      const { table, testTable } = readStudyTables(data);
      return () => prepareDataset(table, data, 3, undefined, testTable);
    };
    const stray = write('stray.csv', [header, rows[0], rows[1]!.replace(/^class_0,1450,/, 'class_0,lots,'), ...rows.slice(2)].join('\n'));
    expect(prepare(stray)).toThrow(`${stray}: line 3: column "proline" is not numeric ("lots")`);
    const unseen = write('unseen.csv', [header, rows[0]!.replace('class_0', 'class_9'), ...rows.slice(1)].join('\n'));
    expect(prepare(unseen)).toThrow(`${unseen}: line 2, column "cultivar": class "class_9" does not occur in ${TRAIN}`);
  });

  it('refuses data.test for a time series, whose test split is its last values', () => {
    expect(() =>
      dataConfig({
        source: 'a.csv',
        test: { source: 'b.csv' },
        target: 'y',
        task: 'regression',
        input: { kind: 'series', lookback: 4, horizon: 2 },
      }),
    ).toThrow(/data\.test: a series' test split is its last `horizon` values/);
  });

  it("records in each trial's artifacts which rows of which file its validation and test predictions belong to", async () => {
    const studyFile = join(dir(), 'study.json');
    writeFileSync(
      studyFile,
      JSON.stringify({
        name: 'wine-held-out',
        data: { source: TRAIN, test: { source: TEST }, target: 'cultivar', task: 'classification' },
        objective: { metric: 'val_loss', direction: 'minimize' },
        search: { trials: 1, seed: 5 },
        training: { epochs: 3 },
        space: { layers: 0, learningRate: 0.01 },
      }),
    );
    const db = join(dir(), 'held-out.db');
    await autotune(studyFile, { storage: db, runner: 'inline' });
    const trialDir = join(`${db}-artifacts`, 'wine-held-out', readdirSync(join(`${db}-artifacts`, 'wine-held-out'))[0]!);
    const rows = readTrialRows(trialDir);
    const predictions = readTrialPredictions(trialDir);
    expect(rows.test.file).toBe(TEST);
    expect(rows.test.rows).toEqual(Array.from({ length: 36 }, (_, i) => i));
    expect(rows.validation.file).toBe(TRAIN);
    expect(rows.validation.rows).toHaveLength(predictions.validationTargets.length);
    // Lined up with the file's rows, the stored targets are those rows' labels.
    const labels = ['class_0', 'class_1', 'class_2'];
    const train = objects(TRAIN);
    expect(Array.from(predictions.validationTargets, (y) => labels[y])).toEqual(rows.validation.rows.map((r) => train[r]!.cultivar));
    expect(Array.from(predictions.testTargets, (y) => labels[y])).toEqual(objects(TEST).map((r) => r.cultivar));
  }, 60_000);

  it('resolves data.test.source against the study file, and a mismatched test file exits 2 before anything is written', () => {
    const study = {
      name: 'wine-mismatch',
      data: { source: TRAIN, test: { source: 'test.csv' }, target: 'cultivar', task: 'classification' },
      objective: { metric: 'val_loss', direction: 'minimize' },
      space: { layers: 0 },
    };
    writeFileSync(join(dir(), 'test.csv'), 'cultivar,alcohol\nclass_0,14.2\n');
    writeFileSync(join(dir(), 'study.json'), JSON.stringify(study));
    expect(loadStudyFile(join(dir(), 'study.json')).config.data!.test!.source).toBe(join(dir(), 'test.csv'));
    const db = join(dir(), 'never.db');
    const result = spawnSync(process.execPath, [repoPath('dist/src/cli/main.js'), 'run', join(dir(), 'study.json'), '--storage', db], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${join(dir(), 'test.csv')}: data.test.source has no column "malic_acid"`);
    expect(existsSync(db)).toBe(false);
  });

  it('records the rows a series forecasts: the last two horizons of the file', () => {
    const data = dataConfig({
      source: repoPath('datasets/air_passengers.csv'),
      target: 'passengers',
      task: 'regression',
      input: { kind: 'series', lookback: 12, horizon: 12 },
    });
    const dataset = prepareDataset(readTable(data.source), data, 1);
    expect(dataset.sourceRows!.validation).toEqual(Array.from({ length: 12 }, (_, i) => 120 + i));
    expect(dataset.sourceRows!.test).toEqual(Array.from({ length: 12 }, (_, i) => 132 + i));
  });
});
