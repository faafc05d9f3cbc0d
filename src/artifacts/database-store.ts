import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TrialRecord } from '../core/types.js';
import type { Storage } from '../storage/storage.js';
import type { StoredFile, StoredFileInfo, TrialFiles } from '../storage/trial-files.js';
import { trialArtifactDir } from './layout.js';
import { badName, damaged, PLAIN_NAME, readDirFiles, sha256, type ArtifactStore, type StoredArtifact } from './store.js';

/** URIs of artifacts kept in the database: `db:trial/<trial id>`. */
export const DATABASE_URI = /^db:trial\/(\d+)$/;

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
      if (!PLAIN_NAME.test(file.name)) throw badName(trial, file.name, this.storage.url);
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
