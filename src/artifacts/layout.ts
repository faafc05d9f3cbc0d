import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * Where a study's trial artifacts live: beside a SQLite file (`runs/autotune.db` → `runs/autotune.db-artifacts/`),
 * or in a fresh temporary directory for in-memory storage, whose studies end with the process anyway.
 */
export function artifactRootFor(storageUrl: string): string {
  if (storageUrl === ':memory:' || storageUrl.startsWith('memory')) return mkdtempSync(join(tmpdir(), 'autotune-artifacts-'));
  const path = storageUrl.startsWith('sqlite:') ? storageUrl.slice('sqlite:'.length) : storageUrl;
  return join(dirname(path), `${basename(path)}-artifacts`);
}

/** One trial's directory: `<root>/<study>/trial-<number>`. Study names are restricted to file-safe characters. */
export function trialArtifactDir(root: string, studyName: string, trialNumber: number): string {
  return join(root, studyName, `trial-${trialNumber}`);
}
