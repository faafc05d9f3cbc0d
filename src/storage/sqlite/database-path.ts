import { accessSync, constants, mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Why a SQLite database cannot be created or opened at `file` (an absolute path), or undefined when it can be
 * tried. Checked before anything is created: the folders on the way are made only once they are known to be makeable,
 * so a bad path leaves nothing behind.
 *
 * @example databasePathProblem('/data/wine.csv/x.db') // '/data/wine.csv is a file, not a folder'
 */
export function databasePathProblem(file: string): string | undefined {
  const own = statOrNull(file);
  if (own?.isDirectory()) return `${file} is a folder; name a database file inside it (e.g. ${file}/autotune.db)`;
  if (own && !own.isFile()) return `${file} is not a regular file`;
  let folder = dirname(file);
  let stat = statOrNull(folder);
  while (!stat && dirname(folder) !== folder) {
    folder = dirname(folder);
    stat = statOrNull(folder);
  }
  if (!stat) return `cannot reach any folder on the way to ${file}`;
  if (!stat.isDirectory()) return `${folder} is a file, not a folder`;
  try {
    accessSync(folder, own ? constants.R_OK : constants.W_OK);
  } catch {
    return `no permission to ${own ? 'read' : 'create files'} in ${folder}`;
  }
  return undefined;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/**
 * Creates `folder` and its missing parents one level at a time. Node's recursive mkdir retries for ever when a
 * file system answers ENOENT under an existing folder (/proc); made one by one, that is a plain error.
 */
export function createFolders(folder: string): void {
  const missing: string[] = [];
  for (let at = folder; !statOrNull(at) && dirname(at) !== at; at = dirname(at)) missing.push(at);
  for (const path of missing.reverse()) mkdirSync(path);
}
