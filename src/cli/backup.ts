import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { InputError } from '../core/errors.js';
import { isPostgresUrl } from '../storage/open.js';
import { redact } from '../storage/postgres/connect.js';
import { copyBetween } from './copy.js';

/**
 * `autotune backup <db> <out>`: SQLite's online backup, page by page, so it is safe while a study writes to the
 * database (a plain file copy of a WAL database can catch it mid-write). From PostgreSQL, a logical copy of every
 * study into a new SQLite file (`autotune copy`, no pg_dump needed), artifacts in `<out>-artifacts/`.
 */
export async function backupCommand(source: string, target: string): Promise<void> {
  if (existsSync(target)) throw new InputError(`${target} exists; choose a new file for the backup`);
  if (isPostgresUrl(source)) {
    const copied = await copyBetween(source, target, {});
    const trials = copied.reduce((sum, c) => sum + c.trials, 0);
    console.log(
      `backed up ${redact(source)} to ${target} (${copied.length} ${copied.length === 1 ? 'study' : 'studies'}, ${trials} trials, a logical copy)`,
    );
    return;
  }
  if (!existsSync(source)) throw new InputError(`no database at ${source}`);
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const progress = await db.backup(target);
    const check = new Database(target, { readonly: true });
    try {
      const integrity = check.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new InputError(`${target}: the backup failed its integrity check (${String(integrity)})`);
    } finally {
      check.close();
    }
    console.log(`backed up ${source} to ${target} (${progress.totalPages} pages, integrity ok)`);
  } finally {
    db.close();
  }
}
