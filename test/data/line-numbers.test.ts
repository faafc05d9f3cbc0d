import { describe, expect, it } from 'vitest';
import { lineOf, prepareDataset, readCsv } from '../../src/data/index.js';
import { fittedPreprocessing, transformRows } from '../../src/data/fitted-preprocessing.js';
import { parseStudy } from '../../src/space/load.js';
import { repoPath } from '../helpers/tmp.js';

const dataOf = (source: string, target: string) =>
  parseStudy({
    name: 'l',
    data: { source, target, task: 'regression' },
    objective: { direction: 'minimize', metric: 'val_loss' },
    space: { loss: 'auto' },
  }).data!;

describe('data errors name the line an editor shows', () => {
  it('counts blank lines and quoted line breaks', () => {
    const table = readCsv(repoPath('test/fixtures/blank-lines.csv'));
    expect(table.rows.slice(0, 8).map((_, row) => lineOf(table, row))).toEqual([2, 3, 4, 5, 6, 8, 10, 11]);
    expect(lineOf(table, 29)).toBe(33);
  });

  it('reports a stray word with the file, its line and the column, and no row number', () => {
    const file = repoPath('test/fixtures/blank-lines.csv');
    expect(() => prepareDataset(readCsv(file), dataOf(file, 'y'), 1)).toThrow(`${file}: line 33: column "x" is not numeric ("abc")`);
  });

  it('has the predictor name the row it was given, without a second numbering', () => {
    const file = repoPath('datasets/wine.csv');
    const table = readCsv(file);
    const data = dataOf(file, 'proline');
    const pre = fittedPreprocessing(prepareDataset(table, data, 1), data);
    const row = Object.fromEntries(table.columns.map((c, i) => [c, table.rows[0]![i]!]));
    expect(() => transformRows(pre, [row, { ...row, ash: 'abc' }])).toThrow(/^row 1: column "ash" is not numeric \("abc"\)$/);
  });
});
