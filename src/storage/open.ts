import { InputError } from '../core/errors.js';
import { MemoryStorage } from './memory.js';
import { PostgresStorage } from './postgres/postgres-storage.js';
import { SqliteStorage } from './sqlite/sqlite-storage.js';
import type { Storage } from './storage.js';

/**
 * Opens storage from a URL: `:memory:` or `memory:` (in this process), `postgres://user:password@host:5432/db`
 * (or `postgresql://`; shared by many machines), `sqlite:path/to.db`, or a plain file path (SQLite). Defaults to
 * `./autotune.db`.
 *
 * @example const storage = await openStorage('sqlite:./autotune.db');
 */
export async function openStorage(url: string = './autotune.db'): Promise<Storage> {
  if (url === ':memory:' || url === 'memory:' || url === 'memory') return new MemoryStorage();
  if (isPostgresUrl(url)) return PostgresStorage.open(url);
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : url;
  if (path.length === 0) throw new InputError('storage "sqlite:" needs a file path, e.g. sqlite:./autotune.db');
  if (path.includes('\0')) throw new InputError('storage path contains a NUL byte');
  return new SqliteStorage(path);
}

/** Whether a storage URL names a PostgreSQL server rather than a file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}
