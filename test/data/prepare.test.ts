import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { prepareDataset, readCsv } from '../../src/data/index.js';
import { parseStudy } from '../../src/space/index.js';
import { repoPath } from '../helpers/tmp.js';

function dataConfig(data: Record<string, unknown>) {
  return parseStudy({
    name: 'd',
    objective: { direction: 'maximize', metric: 'val_accuracy' },
    data: { source: 'x', ...data },
    space: { loss: 'auto' },
  }).data!;
}

function mean(values: ArrayLike<number>, stride: number, column: number): number {
  let sum = 0;
  const n = values.length / stride;
  for (let i = 0; i < n; i++) sum += values[i * stride + column] as number;
  return sum / n;
}

describe('reading and preparing real datasets', () => {
  it('splits breast cancer 70/15/15, stratified, with the same split for the same seed', () => {
    const table = readCsv(repoPath('datasets/breast_cancer_wisconsin.csv'));
    expect(table.rows).toHaveLength(569);
    const config = dataConfig({ target: 'diagnosis', task: 'classification' });
    const a = prepareDataset(table, config, 1);
    expect(a.labels).toEqual(['benign', 'malignant']);
    expect(a.train.rows + a.validation.rows + a.test.rows).toBe(569);
    expect(a.validation.rows).toBeGreaterThanOrEqual(84);
    expect(a.validation.rows).toBeLessThanOrEqual(86);
    const share = (y: Float32Array) => y.filter((v) => v === 1).length / y.length;
    for (const split of [a.train, a.validation, a.test]) expect(share(split.y)).toBeCloseTo(212 / 569, 1);
    expect(prepareDataset(table, config, 1).validation.y).toEqual(a.validation.y);
    expect(prepareDataset(table, config, 2).validation.x).not.toEqual(a.validation.x);
  });

  it('standardizes with statistics of the training split only', () => {
    const table = readCsv(repoPath('datasets/wine.csv'));
    const prepared = prepareDataset(table, dataConfig({ target: 'cultivar', task: 'classification' }), 0);
    const proline = prepared.featureNames.indexOf('proline');
    expect(prepared.featureScaler.mean[proline]).toBeGreaterThan(500);
    expect(mean(prepared.train.x, prepared.nFeatures, proline)).toBeCloseTo(0, 5);
    // The validation split is transformed with training statistics, so its mean is near but not exactly zero.
    expect(Math.abs(mean(prepared.validation.x, prepared.nFeatures, proline))).toBeGreaterThan(1e-4);
  });

  it('drops rows whose target is missing and imputes missing features (airquality)', () => {
    const table = readCsv(repoPath('datasets/airquality.csv'));
    const prepared = prepareDataset(table, dataConfig({ target: 'ozone', task: 'regression' }), 0);
    expect(prepared.droppedRows).toBe(37);
    expect(prepared.train.rows + prepared.validation.rows + prepared.test.rows).toBe(116);
    expect(prepared.targetScaler?.mean).toBeGreaterThan(30);
    expect([...prepared.train.x].every(Number.isFinite)).toBe(true);
  });

  it('one-hot encodes categorical columns and imputes missing values, fitted on the training split (penguins)', () => {
    const table = readCsv(repoPath('datasets/penguins.csv'));
    const prepared = prepareDataset(table, dataConfig({ target: 'species', task: 'classification' }), 0);
    expect(prepared.labels).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(prepared.featureNames).toEqual(
      expect.arrayContaining([
        'island=Biscoe',
        'island=Dream',
        'island=Torgersen',
        'sex=female',
        'sex=male',
        'bill_length_mm',
        'bill_length_mm:missing',
      ]),
    );
    const island = prepared.encoders.find((e) => e.column === 'island');
    expect(island).toMatchObject({ kind: 'categorical', categories: ['Biscoe', 'Dream', 'Torgersen'] });
    const bill = prepared.encoders.find((e) => e.column === 'bill_length_mm');
    expect(bill).toMatchObject({ kind: 'numeric', indicator: true });
    for (const split of [prepared.train, prepared.validation, prepared.test]) expect([...split.x].every(Number.isFinite)).toBe(true);
    // One-hot codes stay 0/1 after scaling: exactly one island per row.
    const w = prepared.nFeatures;
    const islandCols = ['island=Biscoe', 'island=Dream', 'island=Torgersen'].map((n) => prepared.featureNames.indexOf(n));
    for (let r = 0; r < prepared.train.rows; r++)
      expect(islandCols.reduce((s, c) => s + (prepared.train.x[r * w + c] as number), 0)).toBe(1);
  });

  it('names the column and line of a stray word in a numeric column', () => {
    const table = readCsv(repoPath('test/fixtures/stray-word.csv'));
    expect(() => prepareDataset(table, dataConfig({ target: 'y', task: 'regression' }), 0)).toThrow(
      /stray-word\.csv: line 17: column "x" is not numeric \("n\/a"\)/,
    );
  });

  it('names the file and the available columns when the target is wrong', () => {
    const table = readCsv(repoPath('datasets/iris.csv'));
    expect(() => prepareDataset(table, dataConfig({ target: 'Species', task: 'classification' }), 0)).toThrow(
      /data\.target: column "Species" is not in .*iris\.csv \(columns: sepal_length_cm, .*species\)/,
    );
  });

  it('reports a missing file and a ragged CSV as InputError naming the file', () => {
    expect(() => readCsv('/nonexistent/data.csv')).toThrow(InputError);
    expect(() => readCsv(repoPath('test/fixtures/ragged.csv'))).toThrow(/ragged\.csv: line 3 has 2 fields, but the header has 3/);
  });
});
