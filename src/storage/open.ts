import { InputError } from '../core/errors.js';
import { MemoryStorage } from './memory.js';
import { SqliteStorage } from './sqlite/sqlite-storage.js';
import type { Storage } from './storage.js';

/**
 * Opens storage from a URL: `:memory:` or `memory:` (in this process), `sqlite:path/to.db`, or a plain file path
 * (SQLite). Defaults to `./autotune.db`.
 *
 * @example const storage = await openStorage('sqlite:./autotune.db');
 */
export async function openStorage(url: string = './autotune.db'): Promise<Storage> {
  if (url === ':memory:' || url === 'memory:' || url === 'memory') return new MemoryStorage();
  if (/^postgres(ql)?:\/\//.test(url)) {
    throw new InputError(`storage "${url}": PostgreSQL storage is not available yet; use a SQLite file or :memory:`);
  }
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : url;
  if (path.length === 0) throw new InputError('storage "sqlite:" needs a file path, e.g. sqlite:./autotune.db');
  if (path.includes('\0')) throw new InputError('storage path contains a NUL byte');
  return new SqliteStorage(path);
}
