import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { StudyRecord } from '../core/types.js';
import type { Storage } from '../storage/storage.js';
import { artifactRootFor } from './layout.js';

/**
 * The folders that hold a study's trial artifacts: `<database>-artifacts/<study>/` beside a SQLite file, and every
 * trial folder its records name (a run given its own artifact root); with PostgreSQL, this process's local copies
 * (`./autotune-artifacts/<server>/<study>/`), the files themselves going with the study's rows. Only folders laid
 * out as autotune writes them (`…/<study>/trial-N`) are listed, so a record pointing elsewhere can never make a
 * delete remove it.
 */
export async function studyArtifactFolders(storage: Storage, study: StudyRecord): Promise<string[]> {
  const folders = new Set<string>();
  if (storage.url.startsWith('sqlite:') || storage.files) folders.add(join(artifactRootFor(storage.url), study.name));
  for (const trial of await storage.listTrials(study.id)) {
    for (const artifact of await storage.listArtifacts(trial.id)) {
      const dir = artifact.uri;
      if (/^trial-\d+$/.test(basename(dir)) && basename(dirname(dir)) === study.name) folders.add(dir);
    }
  }
  return [...folders];
}

/** Removes the folders, then each trial folder's parent once it is empty (the study's folder under another root). */
export function removeArtifactFolders(folders: readonly string[]): void {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  for (const parent of new Set(folders.map((f) => dirname(f)))) {
    if (existsSync(parent) && basename(parent) !== '' && readdirSync(parent).length === 0) rmdirSync(parent);
  }
}
