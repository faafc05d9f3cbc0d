import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../src/storage/index.js';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations.js';
import { useTempDir } from '../helpers/tmp.js';

// Found by what it adds, so the test still holds when other migrations are merged before or after it.
const NOTES = MIGRATIONS.findIndex((sql) => sql.includes('note_version'));

describe('SQLite migration adding study notes', () => {
  const dir = useTempDir();

  it('upgrades a database of the schema before it: its studies keep everything and get an empty note at version 0', async () => {
    expect(NOTES).toBeGreaterThan(0);
    const file = join(dir(), 'before-notes.db');
    const db = new BetterSqlite3(file);
    for (const sql of MIGRATIONS.slice(0, NOTES)) db.exec(sql);
    db.pragma(`user_version = ${NOTES}`);
    db.prepare(
      "INSERT INTO studies (name, directions, config, user_attrs, created_at) VALUES ('old', '[\"minimize\"]', '{\"a\":1}', '{\"k\":2}', 5)",
    ).run();
    db.close();

    const storage = new SqliteStorage(file);
    const study = await storage.findStudy('old');
    expect(study).toMatchObject({ name: 'old', config: { a: 1 }, userAttrs: { k: 2 }, createdAt: 5 });
    expect(await storage.getStudyNote(study?.id ?? -1)).toEqual({ text: '', version: 0, updatedAt: null });
    expect((await storage.setStudyNote(study?.id ?? -1, 'kept across reopen', 0)).saved).toBe(true);
    await storage.close();

    const reopened = new SqliteStorage(file);
    expect((await reopened.getStudyNote(study?.id ?? -1)).text).toBe('kept across reopen');
    await reopened.close();
    const raw = new BetterSqlite3(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    raw.close();
  });
});
