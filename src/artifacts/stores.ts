import { dirname } from 'node:path';
import { InputError } from '../core/errors.js';
import type { TrialRecord } from '../core/types.js';
import type { Storage } from '../storage/storage.js';
import { DATABASE_URI, DatabaseArtifactStore } from './database-store.js';
import { FilesystemArtifactStore } from './filesystem-store.js';
import { artifactRootFor } from './layout.js';
import type { ArtifactStore } from './store.js';

/**
 * The store new artifacts go to: a directory the user names (a share every machine mounts, `--artifacts DIR`),
 * else the database when it can hold files (PostgreSQL: machines share it and no disk), else the file system
 * beside the database (SQLite).
 */
export function writeStoreFor(storage: Storage, sharedDir?: string): ArtifactStore {
  if (sharedDir === undefined && storage.files) return new DatabaseArtifactStore(storage, storage.files, artifactRootFor(storage.url));
  // Resolved on first use: for in-memory storage the default root is a new temporary directory.
  return new FilesystemArtifactStore(sharedDir ?? (() => artifactRootFor(storage.url)));
}

/** The store an artifact record points into: the database for `db:` URIs, else the file system. */
export function storeOf(storage: Storage, uri: string): ArtifactStore {
  if (!DATABASE_URI.test(uri)) return new FilesystemArtifactStore(dirname(dirname(uri)));
  if (!storage.files) throw new InputError(`artifact ${uri} is kept in a database, but ${storage.url} holds no artifact files`);
  return new DatabaseArtifactStore(storage, storage.files, artifactRootFor(storage.url));
}

/**
 * The local directory of a trial's saved artifacts (its `trial` artifact record), or null when it has none: the
 * one call every reader makes, whichever store holds them.
 */
export async function trialFilesDir(storage: Storage, trial: TrialRecord): Promise<string | null> {
  const uri = (await storage.listArtifacts(trial.id)).find((a) => a.kind === 'trial')?.uri;
  return uri ? storeOf(storage, uri).localDir(trial, uri) : null;
}
