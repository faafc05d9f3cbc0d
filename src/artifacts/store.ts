import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import type { TrialRecord } from '../core/types.js';
import type { StoredFile } from '../storage/trial-files.js';

/** What a trial's artifact record keeps: where the store put the files, and how many bytes they are. */
export interface StoredArtifact {
  readonly uri: string;
  readonly bytes: number;
}

/**
 * Where trials' artifact files are kept. A trial's worker always writes a local directory; `put` makes that
 * directory's files durable in the store (before the trial is finished, so a finished trial always has its files;
 * a crash in between leaves files of an unfinished trial, which retention and deletion clean). Readers (ensemble,
 * export) call `localDir`, which returns a local directory with the files as stored, on any machine.
 */
export interface ArtifactStore {
  put(trial: TrialRecord, dir: string): Promise<StoredArtifact>;
  /** A local directory holding the trial's files, or null when the store has none (pruned, never written). */
  localDir(trial: TrialRecord, uri: string): Promise<string | null>;
  /** Deletes the trial's files (retention); its artifact record stays, and `localDir` then returns null. */
  remove(trial: TrialRecord, uri: string | undefined): Promise<void>;
  /** The trial's files, each checked against its sha256, without caching them; null when the store has none. */
  readFiles(trial: TrialRecord, uri: string): Promise<StoredFile[] | null>;
  /** Stores files read from another store (`autotune copy`) as the trial's, at `uriFor(trial.id)`. */
  writeFiles(trial: TrialRecord, studyName: string, files: readonly StoredFile[]): Promise<StoredArtifact>;
  /** The URI `writeFiles` will store a trial's files at, known before the trial has its id. */
  uriFor(studyName: string, trialNumber: number): (trialId: number) => string;
}

/** Records a store's files beside them in a filesystem store, so a damaged file is found before it is used. */
export const FILE_LIST = 'files.sha256.json';

/** What a stored file may be called: records are data, never a path to follow out of the trial's directory. */
export const PLAIN_NAME = /^[\w-][\w.-]*$/;

/** The files of a directory as a store keeps them (plain files only, sorted, without the file list). */
export function readDirFiles(dir: string): StoredFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== FILE_LIST)
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const data = readFileSync(join(dir, name));
      return { name, bytes: data.byteLength, sha256: sha256(data), data };
    });
}

/** The one-line refusal of a file whose bytes are not those stored. */
export function damaged(trial: TrialRecord, file: string, expected: string, actual: string): InputError {
  return new InputError(
    `trial ${trial.number}: artifact file ${file} does not match its sha256 (recorded ${expected.slice(0, 12)}…, found ${actual.slice(0, 12)}…); refusing to use it`,
    { file },
  );
}

/** The one-line refusal of a stored file name that would lead out of the trial's directory. */
export function badName(trial: TrialRecord, name: string, where: string): InputError {
  return new InputError(
    `trial ${trial.number}: artifact file name ${JSON.stringify(name)} in ${where} is not a plain file name; refusing it`,
  );
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
