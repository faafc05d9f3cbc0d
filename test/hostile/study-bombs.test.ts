import { mkdirSync, truncateSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { compileSpace, gridValues, loadStudyFile, parseStudy } from '../../src/space/index.js';
import { useTempDir } from '../helpers/tmp.js';

const base = { name: 'bomb', objective: { module: './f.mjs', direction: 'minimize' } };

/** Runs `fn`, which must throw an InputError; returns it. How fast it refuses is bench/refusals.ts's figure. */
function refused(fn: () => unknown): InputError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected an InputError').toBeInstanceOf(InputError);
  return thrown as InputError;
}

function nestedBranches(depth: number): Record<string, unknown> {
  let space: Record<string, unknown> = { x: { float: [0, 1] } };
  for (let i = 0; i < depth; i++) space = { m: { choice: { b: space } } };
  return space;
}

describe('resource bombs in a study are refused before anything is allocated', () => {
  // Each row: what, the study (patched over a valid base), and a line the issues must contain.
  const bombs: [string, Record<string, unknown>, RegExp][] = [
    ['a billion units', { space: { units: { int: [1, 1_000_000_000] } } }, /^space\.units\.int\[1\]: units may be at most 8192$/],
    ['a billion units as a choice', { space: { units: { choice: [64, 1e9] } } }, /^space\.units\.choice\[1\]: units must be a number/],
    ['a thousand layers', { space: { layers: { int: [1, 1000] } } }, /^space\.layers\.int\[1\]: layers may be at most 32$/],
    ['a thousand layers as a constant', { space: { layers: 1000 } }, /^space\.layers: layers must be a number in \[0, 32\]$/],
    ['a million trials', { search: { trials: 1_000_000 }, space: { x: 1 } }, /^search\.trials: Too big/],
    [
      'a categorical list of 100,000 values',
      { space: { x: { choice: Array.from({ length: 100_000 }, (_, i) => i) } } },
      /^space\.x\.choice: Too big/,
    ],
    [
      '10,000 parameters',
      { space: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`p${i}`, { float: [0, 1] }])) },
      /^space: 10000 parameters; at most 128 are allowed$/,
    ],
    [
      'branches nested 1,000 deep',
      { space: nestedBranches(1000) },
      /^space\.m\.choice\.b\.m\.choice\.b(\.m\.choice\.b)*(\.m(\.choice)?)?: nested more than 64 levels deep$/,
    ],
    [
      'arrays nested 100,000 deep',
      { space: { x: { choice: JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) } } },
      /^space\.x\.choice(\[0\])+: nested more than 64 levels deep$/,
    ],
    [
      'a float range wider than a double holds',
      { space: { x: { float: [-1e308, 1e308] } } },
      /^space\.x\.float: the range high − low is too wide to sample; narrow the bounds$/,
    ],
    ['int bounds past 2^53', { space: { n: { int: [0, 1e300] } } }, /^space\.n\.int: int bounds must be within ±9007199254740991$/],
    [
      'a parameter named __proto__',
      JSON.parse('{"space": {"x": 1, "__proto__": {"float": [0, 1]}}}'),
      /^space\.__proto__: "__proto__" is not allowed as a key$/,
    ],
  ];

  it.each(bombs)('%s → InputError naming the JSON path', (_what, patch, expected) => {
    const error = refused(() => parseStudy({ ...base, ...patch }));
    expect(
      error.issues.some((line) => expected.test(line)),
      error.issues.join('\n'),
    ).toBe(true);
  });

  it('extreme bounds that are accepted sample and grid within them', () => {
    const { space } = parseStudy({
      ...base,
      space: { big: { int: [1_234_567_890_123, 1_234_567_890_125] }, tiny: { float: [0, 3.9797119673450004e-182] } },
    });
    const [big, tiny] = compileSpace(space).nodes.map((node) => node.distribution);
    expect(gridValues(big!, 5)).toEqual([1_234_567_890_123, 1_234_567_890_124, 1_234_567_890_125]);
    expect(Math.max(...(gridValues(tiny!, 5) as number[]))).toBe(3.9797119673450004e-182);
  });

  it('still accepts branches nested as deep as the branch limit allows', () => {
    expect(() => parseStudy({ ...base, space: nestedBranches(7) })).not.toThrow();
  });

  it('refuses a cyclic object (from the API) as too deep instead of overflowing the stack', () => {
    const space: Record<string, unknown> = { x: 1 };
    space.self = { choice: { loop: space } };
    const error = refused(() => parseStudy({ ...base, space }));
    expect(error.issues[0]).toMatch(/^space\.self\.choice\.loop\..*: nested more than 64 levels deep$/);
  });

  it('a parameter named like an Object.prototype member is an ordinary parameter', () => {
    const { space } = parseStudy({ ...base, space: { toString: 1, constructor: { float: [0, 1] }, hasOwnProperty: { choice: [1, 2] } } });
    expect(Object.keys(space)).toEqual(['toString', 'constructor', 'hasOwnProperty']);
  });
});

describe('hostile study files are refused by what they are, before they are read', () => {
  const dir = useTempDir();

  it('a 100 MB study file → refused by its size, naming the file', () => {
    const file = join(dir(), 'huge.json');
    writeFileSync(file, '');
    truncateSync(file, 100 * 1024 * 1024); // sparse: costs no disk and no time to write
    const error = refused(() => loadStudyFile(file));
    expect(error.message).toMatch(/huge\.json: the study file is 104857600 bytes; at most 1048576 \(1 MiB\) are read/);
    expect(error.file).toBe(file);
  });

  it('a directory → named as a directory, not an EISDIR stack', () => {
    const folder = join(dir(), 'study.json');
    mkdirSync(folder);
    expect(refused(() => loadStudyFile(folder)).message).toBe(`${folder}: is a directory, not a study file`);
  });

  it.runIf(existsSync('/dev/zero'))('an endless device (/dev/zero) → refused, not read forever', () => {
    expect(refused(() => loadStudyFile('/dev/zero')).message).toBe('/dev/zero: not a regular file');
  });
});
