import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { loadDataset, prepareDataset, qualityReport } from '../../src/data/index.js';
import { readTable } from '../../src/data/read.js';
import { parseStudy } from '../../src/space/index.js';
import { useTempDir } from '../helpers/tmp.js';

/** The data block of a study as a user writes it, with every default filled in. */
function dataConfig(source: string, data: Record<string, unknown> = {}) {
  const study = { name: 'd', objective: { direction: 'maximize', metric: 'val_accuracy' }, space: { loss: 'auto' } };
  return parseStudy({ ...study, data: { source, target: 'y', task: 'classification', ...data } }).data!;
}

/** What a trial does with a study's data: read the file and prepare it. */
function load(file: string, data: Record<string, unknown> = {}) {
  return loadDataset(dataConfig(file, data), 0);
}

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

const rows = (n: number, row: (i: number) => string) => Array.from({ length: n }, (_, i) => row(i)).join('\n');
const good = (i: number) => `${i % 7},${(i * 3) % 5},${i % 2 ? 'a' : 'b'}`;
const GOOD = `x,z,y\n${rows(30, good)}\n`;

describe('hostile datasets: an error naming the file (and line and column where they apply), or correct handling', () => {
  const dir = useTempDir();
  const write = (name: string, content: string | Buffer) => {
    const file = join(dir(), name);
    writeFileSync(file, content);
    return file;
  };

  it('a ragged row → names the file, the line and both field counts', () => {
    const file = write('ragged.csv', `x,z,y\n${rows(20, good)}\n1,2\n${rows(5, good)}\n`);
    const error = errorOf(() => load(file));
    expect(error.message).toBe(`${file}: line 22 has 2 fields, but the header has 3 (a ragged row; quote a value that contains a comma)`);
    expect(error.file).toBe(file);
  });

  it('a UTF-8 byte-order mark → handled: the first column is named without it (CSV and JSON Lines)', () => {
    const csv = write('bom.csv', `\uFEFF${GOOD}`);
    expect(readTable(csv).columns).toEqual(['x', 'z', 'y']);
    expect(load(csv).featureNames).toEqual(['x', 'z']);
    const jsonl = write('bom.jsonl', `\uFEFF${rows(30, (i) => JSON.stringify({ x: i % 7, z: i % 5, y: i % 2 ? 'a' : 'b' }))}\n`);
    expect(readTable(jsonl).columns).toEqual(['x', 'z', 'y']);
  });

  it('CRLF line endings → handled: the same data as LF, no \\r in any name or cell', () => {
    const lf = write('lf.csv', GOOD);
    const crlf = write('crlf.csv', GOOD.replace(/\n/g, '\r\n'));
    const table = readTable(crlf);
    expect([...table.columns, ...table.rows.flat()].some((cell) => cell.includes('\r'))).toBe(false);
    expect(load(crlf).train.x).toEqual(load(lf).train.x);
  });

  // Refused rather than guessed: see src/data/encoding.ts for why a Latin-1 fallback would do more harm than good.
  it('Latin-1 bytes → an error naming the file and the line, and what to do', () => {
    const latin1 = Buffer.concat([
      Buffer.from(`x,z,y\n${rows(20, good)}\n`),
      Buffer.from('1,2,café\n', 'latin1'),
      Buffer.from(`${rows(10, good)}\n`),
    ]);
    const file = write('latin1.csv', latin1);
    const error = errorOf(() => load(file));
    expect(error.message).toMatch(new RegExp(`^${file}: line 22 is not UTF-8 text \\(near "1,2,caf\uFFFD"\\); save the file as UTF-8`));
  });

  it('a 10 MB single line holding one text cell → handled, read whole', () => {
    const cell = 'word '.repeat(2 * 1024 * 1024).trim();
    const file = write('long-line.csv', `text,y\n"${cell}",a\n`);
    const table = readTable(file);
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]![0]).toHaveLength(cell.length);
  });

  // Long names rather than a million short ones: the point is the size of the message, not csv-parse's speed.
  it('a 10 MB single line of 100,000 columns → a short error naming the file, not a 10 MB message', () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}_${'n'.repeat(100)}`).join(',');
    const file = write('wide.csv', header);
    const error = errorOf(() => load(file));
    expect(error.message).toMatch(
      new RegExp(`^data\\.target: column "y" is not in ${file} \\(columns: c0_n+…, c1_n+…, .*, … 999\\d\\d more\\)$`),
    );
    expect(error.message.length).toBeLessThan(1000);
  });

  it('a non-number in a numeric column → names the file, the column and the line; a huge cell is quoted short', () => {
    const file = write('stray.csv', `x,z,y\n${rows(30, (i) => (i === 10 ? `1,abc${'x'.repeat(10_000)},a` : good(i)))}\n`);
    const error = errorOf(() => load(file));
    expect(error.message).toMatch(new RegExp(`^${file}: line 12: column "z" is not numeric \\("abcx+…"\\)$`));
    expect(error.message.length).toBeLessThan(file.length + 100);
    const target = write('target.csv', `x,y\n${rows(30, (i) => (i === 5 ? '1,zz' : `${i},${i}`))}\n`);
    expect(errorOf(() => load(target, { task: 'regression' })).message).toBe(
      `${target}: line 7: the regression target "y" is not numeric ("zz")`,
    );
  });

  it('an all-missing column → handled: imputed and flagged, every input finite, and a warning that names it', () => {
    const file = write('empty-column.csv', `x,z,y\n${rows(30, (i) => `${i % 7},,${i % 2 ? 'a' : 'b'}`)}\n`);
    const prepared = load(file);
    expect(prepared.featureNames).toEqual(['x', 'z', 'z:missing']);
    expect([...prepared.train.x, ...prepared.validation.x, ...prepared.test.x].every(Number.isFinite)).toBe(true);
    expect(qualityReport(readTable(file), 'y', 'classification').warnings).toContain(
      'column "z" is empty (every value is missing): it is imputed and carries no information',
    );
  });

  it('a classification target with one class → needs at least two, naming the target column and the file', () => {
    const file = write('one-class.csv', `x,z,y\n${rows(30, (i) => `${i % 7},${i % 5},a`)}\n`);
    expect(errorOf(() => load(file)).message).toBe(
      `data.target: column "y" of ${file} has one class ("a"); classification needs at least two`,
    );
  });

  it('fewer rows than the split needs → says how many rows, and what to change', () => {
    const three = write('three.csv', `x,z,y\n${rows(3, good)}\n`);
    expect(errorOf(() => load(three)).message).toBe(`${three}: only 3 rows have a value in "y"; at least 10 are needed`);
    const twelve = write('twelve.csv', `x,z,y\n${rows(12, good)}\n`);
    expect(errorOf(() => load(twelve, { split: { validation: 0.01, test: 0.01 } })).message).toBe(
      `data.split: validation 0.01 and test 0.01 of the 12 rows of ${twelve} leave the validation split empty; raise data.split.validation or add rows`,
    );
    expect(errorOf(() => load(twelve, { split: { validation: 0.5, test: 0.5 } })).message).toMatch(
      /leave the training split empty; lower the fractions$/,
    );
  });

  it('an empty file → names the file (CSV, JSON Lines, a JSON array)', () => {
    for (const [name, content, expected] of [
      ['empty.csv', '', 'the CSV file is empty'],
      ['blank.csv', '\n \r\n\n', 'the CSV file is empty'],
      ['empty.jsonl', '', 'the file holds no rows'],
      ['empty.json', '[]', 'the file holds no rows'],
    ] as const) {
      const file = write(name, content);
      expect(errorOf(() => load(file)).message).toBe(`${file}: ${expected}`);
    }
  });

  it('a directory instead of a file → named as a directory, not an EISDIR stack', () => {
    const folder = join(dir(), 'data.csv');
    mkdirSync(folder);
    const error = errorOf(() => load(folder));
    expect(error.message).toBe(`${folder}: is a directory, not a dataset file`);
    expect(error.file).toBe(folder);
  });

  it.runIf(existsSync('/dev/zero'))('an endless device as the source → refused, not read forever', () => {
    expect(errorOf(() => load('/dev/zero')).message).toBe('/dev/zero: not a regular file');
  });
});

describe('hostile class labels in the quality report', () => {
  const table = (labels: readonly string[]) => ({
    file: 'labels.csv',
    columns: ['x', 'y'],
    rows: labels.map((y, i) => [String(i % 7), y]),
  });

  it('counts classes named like Object.prototype members as ordinary classes', () => {
    const labels = ['constructor', 'toString', '__proto__', 'a'].flatMap((y) => Array<string>(5).fill(y));
    expect(qualityReport(table(labels), 'y', 'classification').classBalance).toEqual(
      JSON.parse('{"__proto__": 5, "a": 5, "constructor": 5, "toString": 5}'),
    );
  });

  it('profiles a target with 200,000 distinct values without overflowing the stack', () => {
    const labels = Array.from({ length: 200_000 }, (_, i) => `c${i}`);
    expect(Object.keys(qualityReport(table(labels), 'y', 'classification').classBalance!)).toHaveLength(200_000);
  });
});

describe('a large dataset', () => {
  it('300,000 rows (within data.maxRows) split and prepare without overflowing the stack', () => {
    const table = {
      file: 'large.csv',
      columns: ['x', 'y'],
      rows: Array.from({ length: 300_000 }, (_, i) => [String(i % 97), String(i % 13)]),
    };
    const prepared = prepareDataset(table, dataConfig('large.csv', { task: 'regression' }), 0);
    expect([prepared.train.rows, prepared.validation.rows, prepared.test.rows]).toEqual([210_000, 45_000, 45_000]);
  });
});
