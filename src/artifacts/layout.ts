import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Where a study's trial artifacts live: beside a SQLite file (`runs/autotune.db` → `runs/autotune.db-artifacts/`),
 * in a fresh temporary directory for in-memory storage, whose studies end with the process anyway, or for PostgreSQL
 * under `./autotune-artifacts/<host_port_db>/` of the process writing them.
 */
export function artifactRootFor(storageUrl: string): string {
  if (storageUrl === ':memory:' || storageUrl.startsWith('memory')) return mkdtempSync(join(tmpdir(), 'autotune-artifacts-'));
  // A database server has no directory of its own: artifacts go under the working directory, one folder per server.
  if (/^postgres(ql)?:\/\//i.test(storageUrl))
    return resolve('autotune-artifacts', storageUrl.replace(/^.*@|^postgres(ql)?:\/\//i, '').replace(/[^\w.-]+/g, '_'));
  const path = storageUrl.startsWith('sqlite:') ? storageUrl.slice('sqlite:'.length) : storageUrl;
  return join(dirname(path), `${basename(path)}-artifacts`);
}

/** One trial's directory: `<root>/<study>/trial-<number>`. Study names are restricted to file-safe characters. */
export function trialArtifactDir(root: string, studyName: string, trialNumber: number): string {
  return join(root, studyName, `trial-${trialNumber}`);
}
