import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { DataConfig } from '../space/schema.js';

/** One file a study trains on, as it was when the study was created. */
export interface FileChecksum {
  /** The absolute path the study recorded (another machine may hold the file elsewhere). */
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** The checksums of a study's dataset (`data.source`) and of its held-out test file (`data.test.source`). */
export interface DataChecksums {
  readonly source: FileChecksum;
  readonly test?: FileChecksum;
}

/** The study system attribute that holds its {@link DataChecksums}. */
export const DATA_CHECKSUMS = 'data_checksums';

/** How much of a sha256 a refusal shows: enough to tell two files apart at a glance. */
const SHOWN_HEX = 12;

/**
 * The checksums of the files `data` names. Read whole: validation has just read them (bounded by `data.maxBytes`),
 * so they are in the page cache and hashing costs milliseconds.
 */
export function dataChecksums(data: DataConfig): DataChecksums {
  return { source: fileChecksum(data.source), ...(data.test ? { test: fileChecksum(data.test.source) } : {}) };
}

function fileChecksum(path: string): FileChecksum {
  const content = readFileSync(path);
  return { path, sha256: createHash('sha256').update(content).digest('hex'), bytes: content.length };
}

/**
 * Refuses, with one line naming the file and both checksums, a dataset that is not the one the study recorded: trials
 * trained on other rows would be ranked against trials trained on the recorded ones as if they were comparable.
 */
export function checkDataChecksums(recorded: DataChecksums, data: DataConfig, study: string): void {
  const found = dataChecksums(data);
  const pairs: [string, FileChecksum | undefined, FileChecksum | undefined][] = [
    ['data.source', recorded.source, found.source],
    ['data.test.source', recorded.test, found.test],
  ];
  for (const [jsonPath, expected, actual] of pairs) {
    if (!expected || !actual || expected.sha256 === actual.sha256) continue;
    throw new InputError(
      `${actual.path}: sha256 ${actual.sha256.slice(0, SHOWN_HEX)}… is not the file study "${study}" recorded as ${jsonPath} ` +
        `(${expected.path}, sha256 ${expected.sha256.slice(0, SHOWN_HEX)}…); every machine needs the same dataset`,
      { file: actual.path, issues: [`${jsonPath}: sha256 ${actual.sha256} differs from ${expected.sha256}`] },
    );
  }
}
