import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../core/errors.js';
import type { TrialRecord } from '../core/types.js';
import type { Storage } from '../storage/storage.js';
import type { StoredFile, StoredFileInfo, TrialFiles } from '../storage/trial-files.js';
import { artifactRootFor, trialArtifactDir } from './layout.js';

/** What a trial's artifact record keeps: where the store put the files, and how many bytes they are. */
export interface StoredArtifact {
  readonly uri: string;
  readonly bytes: number;
}

/**
 * Where trials' artifact files are kept. A trial's worker always writes a local directory; `put` makes that
 * directory's files durable in the store (before the trial is finished, so a finished trial always has its files;
 * a crash in between leaves files of an unfinished trial, which retention and deletion clean). Readers (ensemble,
 * export, the dashboard) call `localDir`, which returns a local directory with the files as stored, on any machine.
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

/** URIs of artifacts kept in the database: `db:trial/<trial id>`. */
const DATABASE_URI = /^db:trial\/(\d+)$/;

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

/**
 * Today's layout: the files stay where the worker wrote them, with their list and sha256 beside them. `root` is
 * where files copied in from another store go (`<root>/<study>/trial-N`).
 */
export class FilesystemArtifactStore implements ArtifactStore {
  private rootDir: string | (() => string);

  constructor(root: string | (() => string)) {
    this.rootDir = root;
  }

  private get root(): string {
    if (typeof this.rootDir === 'function') this.rootDir = this.rootDir();
    return this.rootDir;
  }

  async put(_trial: TrialRecord, dir: string): Promise<StoredArtifact> {
    const files = readDirFiles(dir);
    const list: StoredFileInfo[] = files.map(({ name, bytes, sha256: sum }) => ({ name, bytes, sha256: sum }));
    writeFileSync(join(dir, FILE_LIST), JSON.stringify({ format: 1, files: list }));
    return { uri: dir, bytes: files.reduce((sum, f) => sum + f.bytes, 0) };
  }

  async localDir(trial: TrialRecord, uri: string): Promise<string | null> {
    if (!existsSync(uri)) return null;
    const listed = join(uri, FILE_LIST);
    // Directories written before the list existed are read as they are.
    if (!existsSync(listed)) return uri;
    const { files } = JSON.parse(readFileSync(listed, 'utf8')) as { files: StoredFileInfo[] };
    for (const file of files) {
      const path = join(uri, file.name);
      if (!existsSync(path)) throw new InputError(`${path}: missing (trial ${trial.number}'s saved files are incomplete)`, { file: path });
      const actual = sha256(readFileSync(path));
      if (actual !== file.sha256) throw damaged(trial, path, file.sha256, actual);
    }
    return uri;
  }

  async remove(_trial: TrialRecord, uri: string | undefined): Promise<void> {
    // Only a folder laid out as autotune writes them (…/<study>/trial-N): a record is data, not a path to delete.
    if (uri && /^trial-\d+$/.test(basename(uri))) rmSync(uri, { recursive: true, force: true });
  }

  async readFiles(trial: TrialRecord, uri: string): Promise<StoredFile[] | null> {
    const dir = await this.localDir(trial, uri);
    return dir ? readDirFiles(dir) : null;
  }

  async writeFiles(trial: TrialRecord, studyName: string, files: readonly StoredFile[]): Promise<StoredArtifact> {
    const dir = trialArtifactDir(this.root, studyName, trial.number);
    mkdirSync(dir, { recursive: true });
    for (const file of files) writeFileSync(join(dir, file.name), file.data);
    return this.put(trial, dir);
  }

  uriFor(studyName: string, trialNumber: number): (trialId: number) => string {
    return () => trialArtifactDir(this.root, studyName, trialNumber);
  }
}

/**
 * Files in the database (PostgreSQL's `trial_files`), materialized on demand into a local cache: the worker's own
 * directory on the machine that trained the trial, `<cache>/<study>/trial-N` on any other. A cached copy is used
 * only while every file matches the sha256 the database holds; the database's own bytes are checked against it too.
 */
export class DatabaseArtifactStore implements ArtifactStore {
  private readonly studyNames = new Map<number, Promise<string>>();

  constructor(
    private readonly storage: Storage,
    private readonly files: TrialFiles,
    private readonly cacheRoot: string,
  ) {}

  async put(trial: TrialRecord, dir: string): Promise<StoredArtifact> {
    const files = readDirFiles(dir);
    return this.writeFiles(trial, '', files);
  }

  async localDir(trial: TrialRecord, uri: string): Promise<string | null> {
    const listed = await this.files.listFiles(trial.id);
    if (listed.length === 0) return null;
    const dir = trialArtifactDir(this.cacheRoot, await this.studyName(trial.studyId), trial.number);
    if (listed.every((file) => cachedMatches(join(dir, file.name), file))) return dir;
    const files = (await this.readFiles(trial, uri)) ?? [];
    // Written whole beside the cache and renamed into place, so a reader never sees half a directory.
    const staging = `${dir}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
    mkdirSync(staging, { recursive: true });
    try {
      for (const file of files) writeFileSync(join(staging, file.name), file.data);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dirname(dir), { recursive: true });
      renameSync(staging, dir);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      // Another reader of this cache renamed its identical copy first.
      if (!listed.every((file) => cachedMatches(join(dir, file.name), file))) throw error;
    }
    return dir;
  }

  async remove(trial: TrialRecord, _uri?: string): Promise<void> {
    await this.files.deleteFiles(trial.id);
    rmSync(trialArtifactDir(this.cacheRoot, await this.studyName(trial.studyId), trial.number), { recursive: true, force: true });
  }

  async readFiles(trial: TrialRecord, _uri: string): Promise<StoredFile[] | null> {
    const files = await this.files.readFiles(trial.id);
    for (const file of files) {
      const actual = sha256(file.data);
      if (actual !== file.sha256) throw damaged(trial, `${file.name} in ${this.storage.url}`, file.sha256, actual);
    }
    return files.length > 0 ? files : null;
  }

  async writeFiles(trial: TrialRecord, _studyName: string, files: readonly StoredFile[]): Promise<StoredArtifact> {
    await this.files.putFiles(trial.id, files);
    return { uri: this.uriFor()(trial.id), bytes: files.reduce((sum, f) => sum + f.bytes, 0) };
  }

  uriFor(): (trialId: number) => string {
    return (trialId) => `db:trial/${trialId}`;
  }

  private studyName(studyId: number): Promise<string> {
    let name = this.studyNames.get(studyId);
    if (!name) {
      name = this.storage.getStudy(studyId).then((s) => s.name);
      this.studyNames.set(studyId, name);
    }
    return name;
  }
}

function cachedMatches(path: string, file: StoredFileInfo): boolean {
  try {
    return statSync(path).size === file.bytes && sha256(readFileSync(path)) === file.sha256;
  } catch {
    return false;
  }
}

function damaged(trial: TrialRecord, file: string, expected: string, actual: string): InputError {
  return new InputError(
    `trial ${trial.number}: artifact file ${file} does not match its sha256 (recorded ${expected.slice(0, 12)}…, found ${actual.slice(0, 12)}…); refusing to use it`,
    { file },
  );
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
