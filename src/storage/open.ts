import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, StorageError } from '../core/errors.js';
import { MemoryStorage } from './memory.js';
import { noSchema } from './no-schema.js';
import { databasePathProblem } from './sqlite/database-path.js';
import { hasAutotuneSchema } from './sqlite/migrations.js';
import { PostgresStorage } from './postgres/postgres-storage.js';
import { SqliteStorage } from './sqlite/sqlite-storage.js';
import type { Storage } from './storage.js';

/**
 * Opens storage from a URL: `:memory:` or `memory:` (in this process), `postgres://user:password@host:5432/db`
 * (or `postgresql://`; shared by many machines), `sqlite:path/to.db`, or a plain file path (SQLite). Defaults to
 * `./autotune.db`. A path that cannot hold a database (inside a file, a folder, a read-only place, a file that is not
 * SQLite) is an {@link InputError} naming it, and nothing is created. With `create: false` (commands that only
 * read) a missing SQLite file, or a database of either kind without autotune's schema, is an InputError too, and
 * nothing is written: only the commands that write studies (`run`, `worker`, `copy`'s target) create the schema.
 *
 * @example const storage = await openStorage('sqlite:./autotune.db');
 */
export async function openStorage(url: string = './autotune.db', options: { readonly create?: boolean } = {}): Promise<Storage> {
  if (url === ':memory:' || url === 'memory:' || url === 'memory') return new MemoryStorage();
  if (isPostgresUrl(url)) return PostgresStorage.open(url, { create: options.create ?? true });
  const path = sqlitePath(url);
  if (path.length === 0) throw new InputError('storage "sqlite:" needs a file path, e.g. sqlite:./autotune.db');
  if (path.includes('\0')) throw new InputError('storage path contains a NUL byte');
  // A command that only reads says what is missing before any check of whether a database could be made there.
  if (options.create === false && !path.startsWith(':')) {
    if (!existsSync(path)) throw new InputError(`no database at ${path}`);
    if (!hasAutotuneSchema(resolve(path))) throw noSchema(path);
  }
  const problem = databasePathProblem(resolve(path));
  if (problem) throw new InputError(`storage "${url}": ${problem}`);
  try {
    return new SqliteStorage(path);
  } catch (error) {
    // The path passed the checks yet SQLite refused it (not a database, a file system that cannot hold one): the
    // user named the wrong place, which is bad input rather than a failed study.
    if (error instanceof StorageError && isUnopenable(error.cause))
      throw new InputError(`storage "${url}": ${error.message}`, { cause: error });
    throw error;
  }
}

const UNOPENABLE = /^(SQLITE_CANTOPEN|SQLITE_NOTADB|SQLITE_READONLY|SQLITE_PERM|SQLITE_AUTH|SQLITE_CORRUPT|E[A-Z]+$)/;

function isUnopenable(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && UNOPENABLE.test(code);
}

/** Whether a storage URL names a PostgreSQL server rather than a file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The file a SQLite storage URL names: `sqlite:PATH` or a plain path (`sqlite:///abs` is `/abs`). */
export function sqlitePath(url: string): string {
  return url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : url;
}
