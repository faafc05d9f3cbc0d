/** One file of a trial's artifact set as a database keeps it: its size and the sha256 of its content (hex). */
export interface StoredFileInfo {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** A file to store or read back, with what was recorded for it when stored. */
export interface StoredFile extends StoredFileInfo {
  readonly data: Buffer;
}

/**
 * A trial's artifact files kept inside the database itself, for storage shared by machines with no shared disk
 * (PostgreSQL). The files of a trial are one set: `putFiles` replaces the whole set in one transaction, so a reader
 * sees either the old set or the new one. They go with their trial (and study) when it is deleted. What the bytes
 * mean is the artifact store's business (src/artifacts/store.ts), which also checks them against their sha256:
 * the database returns what it holds, as it holds it.
 */
export interface TrialFiles {
  /** Replaces the trial's files with `files` (an empty list deletes them); files for no trial: a StorageError. */
  putFiles(trialId: number, files: readonly StoredFile[]): Promise<void>;
  /** The trial's files without their content, sorted by name; empty when it has none. */
  listFiles(trialId: number): Promise<StoredFileInfo[]>;
  /** The trial's files with their content, sorted by name; empty when it has none. */
  readFiles(trialId: number): Promise<StoredFile[]>;
  /** Deletes the trial's files; nothing when it has none. */
  deleteFiles(trialId: number): Promise<void>;
}
