import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { allNodes, compileSpace, gridValues, parseStudy, sampleDistribution, type StudyConfig } from '../../src/space/index.js';
import { recordCounts } from '../helpers/reliability-log.js';
import { mutatedStudy, shippedStudies, validSpace } from './study-arbitraries.js';

// 10,000 documents in all; seeded, so a failure repeats and its counterexample can be replayed. FUZZ_SCALE=5
// (`npm run reliability`) tries five times as many.
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const count = (n: number) => n * SCALE;
const label = (n: number) => count(n).toLocaleString('en-US');

/** Checks `property` on count(numRuns) seeded documents; counts them once all passed. */
function fuzz<Ts>(numRuns: number, property: fc.IProperty<Ts>): void {
  fc.assert(property, { seed: 42, numRuns: count(numRuns) });
  recordCounts({ 'documents tried': count(numRuns) });
}

// zod reports an unknown top-level key at (root), so every path starts at the root or at a known key.
const ISSUE_LINE = /^(\(root\)|(\$schema|name|description|data|objective|search|training|ensemble|space)([.[][^\n]*)?): \S/;
// What a message built from a missing value or a prototype member would read like.
const GARBLED = /\[object Object\]|\[undefined|undefined\]|: undefined$/;

const base = { name: 'fuzz', objective: { module: './f.mjs', direction: 'minimize' } };

/**
 * parseStudy's contract on any input: it returns a config or throws an InputError whose issues are `path: message`
 * lines (and whose message names the file, when given one). Returns whether the document was accepted.
 */
function checkContract(doc: unknown, file?: string): boolean {
  let config: StudyConfig;
  try {
    config = parseStudy(doc, file);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    for (const line of error.issues) {
      expect(line).toMatch(ISSUE_LINE);
      expect(line).not.toMatch(GARBLED);
      expect(error.message).toContain(line);
    }
    if (file !== undefined) {
      expect(error.message.startsWith(`${file}: invalid study definition\n`)).toBe(true);
      expect(error.file).toBe(file);
    }
    return false;
  }
  checkSampleable(config);
  return true;
}

/** What parseStudy accepts, samplers can use: every sampled or grid value is a finite number within its bounds. */
function checkSampleable(config: StudyConfig): void {
  const rng = new Rng(7);
  for (const { distribution: d, specPath } of allNodes(compileSpace(config.space))) {
    if (d.kind !== 'float' && d.kind !== 'int') continue;
    const values = [...Array.from({ length: 5 }, () => sampleDistribution(d, rng)), ...gridValues(d, 5)] as number[];
    // Checked by hand, not one expect() per value: 2,000 spaces make that the slowest part of the run.
    const bad = values.find((v) => !Number.isFinite(v) || v < d.low || v > d.high || (d.kind === 'int' && !Number.isInteger(v)));
    if (bad !== undefined) expect.fail(`${specPath.join('.')} ${JSON.stringify(d)} gave ${bad}`);
  }
}

describe('study-file fuzzing: parseStudy throws nothing but an InputError with path: message lines', () => {
  it(`arbitrary JSON values as the whole document (${label(2000)})`, () => {
    fuzz(
      2000,
      fc.property(fc.jsonValue(), (doc) => void checkContract(doc)),
    );
  });

  it(`arbitrary JSON text, parsed as a file would be, names the file (${label(1000)})`, () => {
    fuzz(
      1000,
      fc.property(fc.json(), (text) => void checkContract(JSON.parse(text), 'fuzz.json')),
    );
  });

  it(`arbitrary values under each top-level key of a valid study (${label(2000)})`, () => {
    const key = fc.constantFrom('name', 'description', 'data', 'objective', 'search', 'training', 'ensemble', 'space', '$schema', 'extra');
    const value = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })));
    fuzz(
      2000,
      fc.property(key, value, (k, v) => void checkContract({ ...base, space: { x: 1 }, [k]: v })),
    );
  });

  it(`mutations of the shipped study files: dropped, replaced, inserted, retyped and wrapped values (${label(3000)})`, () => {
    let accepted = 0;
    fuzz(
      3000,
      fc.property(mutatedStudy, (doc) => {
        if (checkContract(doc, 'mutated.json')) accepted++;
      }),
    );
    // Some mutations are harmless (a changed description); most must be caught.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(count(3000));
    recordCounts({ 'mutations refused': count(3000) - accepted, 'mutations accepted (harmless)': accepted });
  });

  it('the shipped study files themselves parse (the mutations start from valid documents)', () => {
    for (const { file, doc } of shippedStudies) expect(checkContract(doc, file), file).toBe(true);
  });

  it(`generated valid spaces parse, every parameter kept (${label(2000)})`, () => {
    fuzz(
      2000,
      fc.property(validSpace, (space) => {
        const config = parseStudy({ ...base, space });
        expect(Object.keys(config.space)).toEqual(Object.keys(space));
        checkSampleable(config);
      }),
    );
  });
});
