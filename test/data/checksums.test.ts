import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDataChecksums, dataChecksums } from '../../src/data/checksums.js';
import type { DataConfig } from '../../src/space/schema.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const TRAIN = repoPath('test/fixtures/held-out/wine-train.csv');
const TEST = repoPath('test/fixtures/held-out/wine-test.csv');

/** Only the paths matter to checksums; the rest of a DataConfig is not read. */
function data(source: string, test?: string): DataConfig {
  return { source, ...(test ? { test: { source: test } } : {}) } as DataConfig;
}

describe('dataset checksums', () => {
  const dir = useTempDir();

  it('accepts an identical copy at another path, and names the held-out test file when only it differs', () => {
    const recorded = dataChecksums(data(TRAIN, TEST));
    expect(recorded.source).toMatchObject({ path: TRAIN, bytes: readFileSync(TRAIN).length });
    expect(recorded.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(recorded.test?.sha256).not.toBe(recorded.source.sha256);

    const train = join(dir(), 'train.csv');
    const test = join(dir(), 'test.csv');
    copyFileSync(TRAIN, train);
    copyFileSync(TEST, test);
    expect(() => checkDataChecksums(recorded, data(train, test), 'wine')).not.toThrow();

    // One trailing newline more: the same rows to a CSV reader, another file to its checksum.
    writeFileSync(test, `${readFileSync(TEST, 'utf8')}\n`);
    expect(() => checkDataChecksums(recorded, data(train, test), 'wine')).toThrow(
      new RegExp(
        `^${test}: sha256 [0-9a-f]{12}… is not the file study "wine" recorded as data.test.source \\(${TEST}, sha256 ${recorded.test?.sha256.slice(0, 12)}…\\)`,
      ),
    );
  });
});
