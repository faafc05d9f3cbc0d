import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { encodeRow, fitEncoders, prepareDataset, qualityReport, readCsv, type PreparedDataset } from '../../src/data/index.js';
import { fitMinMax } from '../../src/data/scaler.js';
import { parseStudy } from '../../src/space/index.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTable } from '../../src/data/read.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

function dataConfig(data: Record<string, unknown>) {
  return parseStudy({
    name: 'd',
    objective: { direction: 'maximize', metric: 'val_accuracy' },
    data: { source: 'x', ...data },
    space: { loss: 'auto' },
  }).data!;
}

function column(split: PreparedDataset['train'], width: number, c: number): number[] {
  return Array.from({ length: split.rows }, (_, r) => split.x[r * width + c] as number);
}

const penguins = readCsv(repoPath('datasets/penguins.csv'));

describe('deduplicate', () => {
  it('drops the duplicated iris row before splitting and counts it, apart from missing targets', () => {
    const iris = readCsv(repoPath('datasets/iris.csv'));
    const config = { target: 'species', task: 'classification' };
    expect(prepareDataset(iris, dataConfig(config), 0)).toMatchObject({ duplicateRows: 0, droppedRows: 0 });
    const deduped = prepareDataset(iris, dataConfig({ ...config, preprocessing: { deduplicate: true } }), 0);
    expect(deduped.duplicateRows).toBe(qualityReport(iris, 'species', 'classification').duplicateRows);
    expect(deduped.duplicateRows).toBe(1);
    expect(deduped.train.rows + deduped.validation.rows + deduped.test.rows).toBe(149);
  });

  it('compares only the features and the target, so no example appears in two splits', () => {
    const config = dataConfig({
      target: 'species',
      task: 'classification',
      features: ['island', 'sex'],
      preprocessing: { deduplicate: true },
    });
    const prepared = prepareDataset(penguins, config, 0);
    const [island, sex, species] = ['island', 'sex', 'species'].map((c) => penguins.columns.indexOf(c));
    const distinct = new Set(penguins.rows.map((r) => `${r[island!]}|${r[sex!]}|${r[species!]}`)).size;
    expect(prepared.duplicateRows).toBe(344 - distinct);
    const w = prepared.nFeatures;
    const examples = [prepared.train, prepared.validation, prepared.test].flatMap((split) =>
      Array.from({ length: split.rows }, (_, r) => `${[...split.x.subarray(r * w, (r + 1) * w)].join()}|${split.y[r]}`),
    );
    expect(new Set(examples).size).toBe(examples.length);
  });

  it('is refused for a time series, naming the JSON path', () => {
    expect(() =>
      dataConfig({
        target: 'passengers',
        task: 'regression',
        input: { kind: 'series', lookback: 4, horizon: 4 },
        preprocessing: { deduplicate: true },
      }),
    ).toThrow(/data\.preprocessing\.deduplicate: a time series keeps every row/);
  });
});

describe('impute: most_frequent', () => {
  it('fills a missing number with the most frequent training value and a missing category with the most frequent category', () => {
    const train = penguins.rows.map((_, i) => i).filter((i) => i % 3 !== 0);
    const columns = ['flipper_length_mm', 'sex'].map((c) => penguins.columns.indexOf(c));
    const encoders = fitEncoders(penguins, columns, train, {
      impute: 'most_frequent',
      missingIndicators: false,
      encoding: 'onehot',
      maxCategories: 50,
    });
    // Counted here independently: the mode over the training rows only (ties to the smaller value).
    const counts = new Map<string, number>();
    for (const r of train) {
      const v = penguins.rows[r]![columns[0]!] as string;
      if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const mode = [...counts].sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]))[0]![0];
    expect(encoders[0]).toMatchObject({ kind: 'numeric', fill: Number(mode) });
    const sexCounts = { male: 0, female: 0 };
    for (const r of train) {
      const v = penguins.rows[r]![columns[1]!] as 'male' | 'female' | '';
      if (v !== '') sexCounts[v]++;
    }
    const commonest = sexCounts.male >= sexCounts.female ? 'male' : 'female';
    expect(encoders[1]).toMatchObject({ kind: 'categorical', fill: commonest });
    const out = new Float64Array(3);
    encodeRow(
      encoders,
      penguins.columns.map(() => ''),
      columns,
      out,
      0,
      'f: line 1',
    );
    expect([...out]).toEqual([Number(mode), commonest === 'female' ? 1 : 0, commonest === 'male' ? 1 : 0]);
  });

  it('leaves a missing category unknown (all zeros) under median', () => {
    const prepared = prepareDataset(penguins, dataConfig({ target: 'species', task: 'classification' }), 0);
    expect(prepared.encoders.find((e) => e.column === 'sex')).toMatchObject({ fill: null });
  });
});

describe('encoding: ordinal', () => {
  const prepared = prepareDataset(
    penguins,
    dataConfig({ target: 'species', task: 'classification', preprocessing: { encoding: 'ordinal', scaling: 'none' } }),
    0,
  );
  const columns = prepared.encoders.map((e) => penguins.columns.indexOf(e.column));

  it('gives each categorical column one input: the sorted category index 1..k', () => {
    expect(prepared.featureNames.filter((n) => n.startsWith('island') || n.startsWith('sex'))).toEqual(['island', 'sex']);
    expect(prepared.encoders.find((e) => e.column === 'island')).toMatchObject({
      encoding: 'ordinal',
      categories: ['Biscoe', 'Dream', 'Torgersen'],
    });
    const island = column(prepared.train, prepared.nFeatures, prepared.featureNames.indexOf('island'));
    expect(new Set(island)).toEqual(new Set([1, 2, 3]));
  });

  it('encodes a missing or unseen category as 0', () => {
    const raw = new Float64Array(prepared.nFeatures);
    const row = [...(penguins.rows[0] as string[])];
    row[penguins.columns.indexOf('island')] = 'Anvers';
    row[penguins.columns.indexOf('sex')] = '';
    encodeRow(prepared.encoders, row, columns, raw, 0, 'new rows: line 1');
    expect(raw[prepared.featureNames.indexOf('island')]).toBe(0);
    expect(raw[prepared.featureNames.indexOf('sex')]).toBe(0);
    row[penguins.columns.indexOf('island')] = 'Torgersen';
    encodeRow(prepared.encoders, row, columns, raw, 0, 'new rows: line 1');
    expect(raw[prepared.featureNames.indexOf('island')]).toBe(3);
  });

  it('standardizes the ordinal code like a measured input under standard scaling', () => {
    const scaled = prepareDataset(
      penguins,
      dataConfig({ target: 'species', task: 'classification', preprocessing: { encoding: 'ordinal' } }),
      0,
    );
    const island = column(scaled.train, scaled.nFeatures, scaled.featureNames.indexOf('island'));
    expect(island.reduce((s, v) => s + v, 0) / island.length).toBeCloseTo(0, 5);
  });
});

describe('scaling', () => {
  const wine = readCsv(repoPath('datasets/wine.csv'));

  it('minmax maps every training column onto exactly [0, 1]; held-out rows use the training min and max', () => {
    const prepared = prepareDataset(
      wine,
      dataConfig({ target: 'cultivar', task: 'classification', preprocessing: { scaling: 'minmax' } }),
      0,
    );
    const proline = prepared.featureNames.indexOf('proline');
    for (let c = 0; c < prepared.nFeatures; c++) {
      const values = column(prepared.train, prepared.nFeatures, c);
      expect(Math.min(...values)).toBeCloseTo(0, 6);
      expect(Math.max(...values)).toBeCloseTo(1, 6);
    }
    const { mean: min, std: range } = prepared.featureScaler;
    const raw = column(prepared.validation, prepared.nFeatures, proline).map((v) => v * range[proline]! + min[proline]!);
    const prolines = new Set(wine.rows.map((r) => Number(r[wine.columns.indexOf('proline')])));
    for (const v of raw) expect(prolines.has(Math.round(v))).toBe(true);
  });

  it('minmax sends a constant column to 0 and ignores missing values', () => {
    const values = Float64Array.from([5, 1, 5, Number.NaN, 5, 3]);
    expect(fitMinMax(values, 2, [0, 1, 2])).toEqual({ mean: [5, 1], std: [1, 2] });
  });

  it('none leaves measured values in their units; one-hot codes stay 0/1 under every scaling', () => {
    const prepared = prepareDataset(
      penguins,
      dataConfig({ target: 'species', task: 'classification', preprocessing: { scaling: 'none' } }),
      0,
    );
    const mass = column(prepared.train, prepared.nFeatures, prepared.featureNames.indexOf('body_mass_g'));
    expect(Math.min(...mass)).toBeGreaterThanOrEqual(2700);
    expect(Math.max(...mass)).toBeLessThanOrEqual(6300);
    for (const scaling of ['minmax', 'none', 'standard']) {
      const p = prepareDataset(penguins, dataConfig({ target: 'species', task: 'classification', preprocessing: { scaling } }), 0);
      expect(new Set(column(p.train, p.nFeatures, p.featureNames.indexOf('island=Dream')))).toEqual(new Set([0, 1]));
    }
  });
});

describe('data.maxBytes', () => {
  it('refuses a file over the limit before reading it, naming the file, its size and the limit', () => {
    const file = repoPath('datasets/wine.csv');
    expect(() => readCsv(file, { maxBytes: 1000 })).toThrow(InputError);
    expect(() => readCsv(file, { maxBytes: 1000 })).toThrow(
      /wine\.csv: the dataset is 0\.0 MiB \(\d{5} bytes\), over the data\.maxBytes limit of 0\.0 MiB \(1000 bytes\)/,
    );
    expect(readCsv(file, { maxBytes: 1_000_000 }).rows).toHaveLength(178);
  });

  it('applies to JSON Lines too, which are still read line by line with line numbers in errors', () => {
    const spam = repoPath('datasets/spam_assassin.jsonl');
    expect(() => readTable(spam, { maxBytes: 4096 })).toThrow(
      /spam_assassin\.jsonl: the dataset is .* over the data\.maxBytes limit of 0\.0 MiB \(4096 bytes\)/,
    );
    expect(readTable(spam).columns).toEqual(['text', 'label', 'group']);
  });

  const dir = useTempDir();
  it('reads a JSON array and reports a bad JSON line by its number', () => {
    const array = join(dir(), 'rows.json');
    writeFileSync(array, ' [{"a": 1, "b": "x"}, {"a": null, "c": true}]');
    expect(readTable(array)).toMatchObject({
      columns: ['a', 'b', 'c'],
      rows: [
        ['1', 'x', ''],
        ['', '', 'true'],
      ],
    });
    const lines = join(dir(), 'rows.jsonl');
    writeFileSync(lines, '{"a": 1}\r\n\n{"a": 2}\n{"a": \n');
    expect(() => readTable(lines)).toThrow(/rows\.jsonl: line 4 is not valid JSON/);
  });

  it('has a bounded maximum in the schema', () => {
    expect(dataConfig({ target: 'y', task: 'regression' }).maxBytes).toBe(512 * 1024 * 1024);
    expect(() => dataConfig({ target: 'y', task: 'regression', maxBytes: 3 * 1024 ** 3 })).toThrow(/data\.maxBytes/);
  });
});
