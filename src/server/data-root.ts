import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../core/errors.js';

/**
 * A dataset path from a study launched over HTTP, confined to `root`: relative, no NUL byte, no `..` that leaves
 * the root, and — after symlinks are resolved — still inside it, so a request cannot read any other file.
 */
export function confinedDataPath(root: string, source: string, jsonPath = 'data.source'): string {
  if (source.includes('\0')) throw new InputError(`${jsonPath}: contains a NUL byte`);
  if (isAbsolute(source) || /^[A-Za-z]:/.test(source)) throw new InputError(`${jsonPath}: must be relative to the server's data root`);
  const realRoot = realpathSync(root);
  const candidate = resolve(realRoot, source);
  if (!inside(realRoot, candidate)) throw new InputError(`${jsonPath}: leaves the server's data root`);
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    throw new InputError(`${jsonPath}: no file "${source}" in the data root`);
  }
  if (!inside(realRoot, real)) throw new InputError(`${jsonPath}: is a link that leaves the server's data root`);
  if (!statSync(real).isFile()) throw new InputError(`${jsonPath}: "${source}" is not a file`);
  return real;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' ? false : !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..') && join(root, rel) === path;
}
