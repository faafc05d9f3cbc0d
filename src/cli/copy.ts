import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { artifactRootFor } from '../artifacts/layout.js';
import { copyStudies, studiesToCopy, type CopiedStudy } from '../controller/copy-study.js';
import { InputError } from '../core/errors.js';
import { isPostgresUrl, openStorage } from '../storage/open.js';
import { redact } from '../storage/postgres/connect.js';
import type { Storage } from '../storage/storage.js';
import { openExisting } from './inspect.js';

interface CopyFlags {
  from: string;
  to: string;
  study?: string;
  artifacts?: string;
}

/** `autotune copy --from URL --to URL [--study NAME]`: studies with their trials, steps and artifacts. */
export async function copyCommand(flags: CopyFlags): Promise<void> {
  const copied = await copyBetween(flags.from, flags.to, { study: flags.study, artifacts: flags.artifacts });
  for (const c of copied) {
    console.log(
      `copied study "${c.name}" (${c.trials} trials, ${c.steps} steps, artifacts of ${c.artifacts} trials) from ${redact(flags.from)} to ${redact(flags.to)}`,
    );
  }
}

/**
 * Opens both storages and copies; refusals come before the target is written to, and a SQLite file this call
 * created is removed again (with its artifact folder) when the copy fails, so a failed copy leaves nothing behind.
 */
export async function copyBetween(
  fromUrl: string,
  toUrl: string,
  options: { study?: string | undefined; artifacts?: string | undefined },
): Promise<CopiedStudy[]> {
  if (sameStorage(fromUrl, toUrl)) throw new InputError(`--from and --to both name ${fromUrl}; copy between two storages`);
  const from = await openExisting(fromUrl);
  try {
    // Checked before the target is opened: a target file that does not exist yet is not created for nothing.
    await studiesToCopy(from, options.study);
    const created = newSqliteFile(toUrl);
    let to: Storage | undefined;
    try {
      to = await openStorage(toUrl);
      return await copyStudies(from, to, {
        ...(options.study ? { study: options.study } : {}),
        ...(options.artifacts ? { artifacts: resolve(options.artifacts) } : {}),
      });
    } catch (error) {
      await to?.close();
      to = undefined;
      if (created) removeSqliteFile(created);
      throw error;
    } finally {
      await to?.close();
    }
  } finally {
    await from.close();
  }
}

/** The path of a SQLite target that does not exist yet, or null (it exists, or is not a file). */
function newSqliteFile(url: string): string | null {
  if (isPostgresUrl(url) || url === ':memory:' || url.startsWith('memory')) return null;
  const path = resolve(url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url);
  return existsSync(path) ? null : path;
}

function removeSqliteFile(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
  rmSync(artifactRootFor(`sqlite:${path}`), { recursive: true, force: true });
}

function sameStorage(a: string, b: string): boolean {
  if (isPostgresUrl(a) || isPostgresUrl(b)) return a === b;
  const path = (url: string) => resolve(url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url);
  return path(a) === path(b);
}
