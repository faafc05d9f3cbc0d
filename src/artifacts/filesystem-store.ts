import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../core/errors.js';
import type { TrialRecord } from '../core/types.js';
import type { StoredFile, StoredFileInfo } from '../storage/trial-files.js';
import { trialArtifactDir } from './layout.js';
import { badName, damaged, FILE_LIST, PLAIN_NAME, readDirFiles, sha256, type ArtifactStore, type StoredArtifact } from './store.js';

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
      if (!PLAIN_NAME.test(file.name)) throw badName(trial, file.name, listed);
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
