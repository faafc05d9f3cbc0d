import BetterSqlite3, { type Database } from 'better-sqlite3';
import { StorageError } from '../../core/errors.js';

/**
 * Schema versions, applied in order; `PRAGMA user_version` records how many have run. Never edit a released
 * migration: append a new one (and keep a database of the old schema under test/fixtures to test the upgrade).
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE studies (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    directions    TEXT NOT NULL,
    config        TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'running',
    user_attrs    TEXT NOT NULL DEFAULT '{}',
    system_attrs  TEXT NOT NULL DEFAULT '{}',
    created_at    INTEGER NOT NULL
  );
  CREATE TABLE trials (
    id            INTEGER PRIMARY KEY,
    study_id      INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    state         TEXT NOT NULL,
    params        TEXT NOT NULL,
    distributions TEXT NOT NULL,
    "values"      TEXT,
    metrics       TEXT NOT NULL DEFAULT '{}',
    seed          INTEGER NOT NULL,
    backend       TEXT,
    fail_reason   TEXT,
    last_step     INTEGER,
    user_attrs    TEXT NOT NULL DEFAULT '{}',
    system_attrs  TEXT NOT NULL DEFAULT '{}',
    created_at    INTEGER NOT NULL,
    started_at    INTEGER,
    finished_at   INTEGER,
    heartbeat_at  INTEGER,
    UNIQUE (study_id, number)
  );
  CREATE INDEX trials_by_state ON trials (study_id, state);
  CREATE TABLE trial_steps (
    trial_id      INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    step          INTEGER NOT NULL,
    metrics       TEXT NOT NULL,
    recorded_at   INTEGER NOT NULL,
    PRIMARY KEY (trial_id, step)
  ) WITHOUT ROWID;
  CREATE TABLE artifacts (
    id            INTEGER PRIMARY KEY,
    trial_id      INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    uri           TEXT NOT NULL,
    bytes         INTEGER,
    created_at    INTEGER NOT NULL
  );
  CREATE INDEX artifacts_by_trial ON artifacts (trial_id);
  `,
  // Charts over a study of thousands of trials × epochs read these instead of scanning every step.
  `
  ALTER TABLE trials ADD COLUMN step_count INTEGER NOT NULL DEFAULT 0;
  UPDATE trials SET step_count = (SELECT COUNT(*) FROM trial_steps s WHERE s.trial_id = trials.id);
  CREATE TABLE study_metrics (
    study_id      INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    PRIMARY KEY (study_id, name)
  ) WITHOUT ROWID;
  INSERT OR IGNORE INTO study_metrics (study_id, name)
    SELECT DISTINCT t.study_id, m.key FROM trial_steps s JOIN trials t ON t.id = s.trial_id, json_each(s.metrics) m;
  `,
  // A study's note, with a save counter for compare-and-set from the dashboard.
  `
  ALTER TABLE studies ADD COLUMN note TEXT NOT NULL DEFAULT '';
  ALTER TABLE studies ADD COLUMN note_version INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE studies ADD COLUMN note_updated_at INTEGER;
  `,
  // The change feed (Storage.listTrialsChangedSince / listStepsSince): every write takes the study's next number and
  // stores it on the row it changed, so a process reads what changed since its last look by a range on an index.
  // The counter has a table of its own: the studies row holds the whole config, and rewriting it on every write
  // made each write several times slower. What existed before counts as change 1, so a reader from 0 sees it.
  `
  CREATE TABLE study_changes (
    study_id      INTEGER PRIMARY KEY REFERENCES studies(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL
  );
  INSERT INTO study_changes (study_id, seq) SELECT id, 1 FROM studies;
  ALTER TABLE trials ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE trial_steps ADD COLUMN study_id INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE trial_steps ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
  UPDATE trial_steps SET study_id = (SELECT t.study_id FROM trials t WHERE t.id = trial_steps.trial_id), change_seq = 1;
  UPDATE trials SET change_seq = 1;
  CREATE INDEX trials_by_change ON trials (study_id, change_seq);
  CREATE INDEX steps_by_change ON trial_steps (study_id, change_seq);
  `,
];

/** Brings a database to the latest schema; refuses one written by a newer autotune. */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new StorageError(
      `database schema version ${current} is newer than this autotune understands (${MIGRATIONS.length}); upgrade autotune`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      // Read again under the write lock: two processes opening a new file both saw version 0 above, and the one
      // that waited must not run the migration the other has just applied.
      if ((db.pragma('user_version', { simple: true }) as number) > version) return;
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

/**
 * Whether the SQLite file at `file` holds autotune's schema, read without writing (opened read-only): the check of
 * commands that only read, which must not add autotune's tables to another application's database. A file SQLite
 * cannot read is left to the open that follows, which says why.
 */
export function hasAutotuneSchema(file: string): boolean {
  let db: Database;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  } catch {
    return true;
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    return version > 0 && db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'studies'").get() !== undefined;
  } catch {
    return true;
  } finally {
    db.close();
  }
}
