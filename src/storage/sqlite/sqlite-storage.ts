import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { dirname, resolve } from 'node:path';
import { StorageError } from '../../core/errors.js';
import type { ArtifactRecord, Metrics, StepRecord, StudyRecord, StudyState, TrialRecord } from '../../core/types.js';
import {
  ENDED_UNSTARTED_SQL,
  emptyCounts,
  isReservation,
  resolveSeed,
  type Changes,
  type NewStudy,
  type NewArtifact,
  type NewTrial,
  type NoteSave,
  type Reservation,
  type Storage,
  type StudyNote,
  type StudyStep,
  type StudySummary,
  type TrialEnd,
  type TrialPage,
  type TrialPageQuery,
  type TrialPoint,
  type TrialPointQuery,
  type TrialQuery,
  type TrialStart,
} from '../storage.js';

/** A new trial's row as insertTrial writes it (JSON columns already encoded). */
interface NewTrialRow {
  readonly state: 'waiting' | 'running';
  readonly params: string;
  readonly distributions: string;
  readonly seed: number;
  readonly systemAttrs: string;
  readonly startedAt: number | null;
  readonly heartbeatAt: number | null;
}
import { createFolders } from './database-path.js';
import { migrate } from './migrations.js';
import {
  parseNumbers,
  stringifyNumbers,
  toArtifact,
  toStep,
  toStudy,
  toStudyStep,
  toTrial,
  type ArtifactRow,
  type StepRow,
  type StudyStepRow,
  type StudyRow,
  type TrialRow,
} from './rows.js';
import { importStudyInto } from './import-study.js';
import type { StudyImport } from '../study-import.js';

/**
 * The embedded default: one SQLite file (better-sqlite3, WAL, busy timeout, migrations keyed by `user_version`).
 * Every write runs in an IMMEDIATE transaction so that two processes on one file wait for each other instead of
 * failing with SQLITE_BUSY.
 *
 * @example const storage = new SqliteStorage('./autotune.db');
 */
export class SqliteStorage implements Storage {
  readonly url: string;
  private readonly db: Database;
  private readonly statements = new Map<string, Statement>();

  constructor(path: string, options: { busyTimeoutMs?: number } = {}) {
    const file = path === ':memory:' ? path : resolve(path);
    this.url = `sqlite:${file}`;
    try {
      if (file !== ':memory:') createFolders(dirname(file));
      this.db = new BetterSqlite3(file, { timeout: options.busyTimeoutMs ?? 10_000 });
      walMode(this.db);
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      migrate(this.db);
    } catch (error) {
      if (error instanceof StorageError) throw error;
      throw new StorageError(`cannot open SQLite database ${file}: ${(error as Error).message}`, { cause: error });
    }
  }

  async createStudy(input: NewStudy): Promise<StudyRecord> {
    try {
      const info = this.stmt('INSERT INTO studies (name, directions, config, created_at) VALUES (?, ?, ?, ?)').run(
        input.name,
        JSON.stringify(input.directions),
        JSON.stringify(input.config),
        Date.now(),
      );
      return this.getStudy(Number(info.lastInsertRowid));
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new StorageError(`a study named "${input.name}" already exists`, { cause: error });
      }
      throw error;
    }
  }

  async findStudy(name: string): Promise<StudyRecord | null> {
    const row = this.stmt('SELECT * FROM studies WHERE name = ?').get(name) as StudyRow | undefined;
    return row ? toStudy(row) : null;
  }

  async getStudy(studyId: number): Promise<StudyRecord> {
    const row = this.stmt('SELECT * FROM studies WHERE id = ?').get(studyId) as StudyRow | undefined;
    if (!row) throw new StorageError(`no study with id ${studyId}`);
    return toStudy(row);
  }

  async listStudies(): Promise<StudySummary[]> {
    const rows = this.stmt('SELECT * FROM studies ORDER BY id').all() as StudyRow[];
    const countRows = this.stmt('SELECT study_id, state, COUNT(*) AS n FROM trials GROUP BY study_id, state').all() as {
      study_id: number;
      state: keyof ReturnType<typeof emptyCounts>;
      n: number;
    }[];
    return rows.map((row) => {
      const counts = emptyCounts();
      for (const c of countRows) if (c.study_id === row.id) counts[c.state] = c.n;
      return { ...toStudy(row), counts };
    });
  }

  async setStudyState(studyId: number, state: StudyState): Promise<void> {
    this.mustChange(this.stmt('UPDATE studies SET state = ? WHERE id = ?').run(state, studyId).changes, 'study', studyId);
  }

  async setStudyUserAttr(studyId: number, key: string, value: unknown): Promise<void> {
    this.setAttr('studies', 'user_attrs', studyId, key, value);
  }

  async setStudySystemAttr(studyId: number, key: string, value: unknown): Promise<void> {
    this.setAttr('studies', 'system_attrs', studyId, key, value);
  }

  async getStudyNote(studyId: number): Promise<StudyNote> {
    return this.noteSync(studyId);
  }

  async setStudyNote(studyId: number, text: string, expectedVersion: number): Promise<NoteSave> {
    return this.db
      .transaction((): NoteSave => {
        const changes = this.stmt(
          'UPDATE studies SET note = ?, note_version = note_version + 1, note_updated_at = ? WHERE id = ? AND note_version = ?',
        ).run(text, Date.now(), studyId, expectedVersion).changes;
        return { saved: changes > 0, note: this.noteSync(studyId) };
      })
      .immediate();
  }

  async deleteStudy(studyId: number): Promise<void> {
    // Trials, steps and artifacts go with it through ON DELETE CASCADE (foreign_keys is on).
    const changes = this.db.transaction(() => this.stmt('DELETE FROM studies WHERE id = ?').run(studyId).changes).immediate();
    this.mustChange(changes, 'study', studyId);
  }

  async importStudy(input: StudyImport): Promise<StudyRecord> {
    return this.getStudy(importStudyInto(this.db, input));
  }

  async createTrial(studyId: number, input: NewTrial): Promise<TrialRecord> {
    const created = this.insertTrial(studyId, (next) => {
      const now = Date.now();
      const running = input.state === 'running' ? now : null;
      return {
        state: input.state,
        params: JSON.stringify(input.params),
        distributions: JSON.stringify(input.distributions),
        seed: resolveSeed(input.seed, next),
        systemAttrs: JSON.stringify(input.systemAttrs ?? {}),
        startedAt: running,
        heartbeatAt: running,
      };
    }) as Reservation;
    return this.getTrialSync(created.id);
  }

  async reserveTrial(studyId: number, options: { readonly maxTrials?: number } = {}): Promise<Reservation | null> {
    return this.insertTrial(
      studyId,
      () => ({ state: 'running', params: '{}', distributions: '{}', seed: 0, systemAttrs: '{}', startedAt: null, heartbeatAt: Date.now() }),
      options.maxTrials,
    );
  }

  async startTrial(trialId: number, start: TrialStart): Promise<TrialRecord> {
    this.db
      .transaction(() => {
        const studyId = this.assertReservation(trialId);
        const now = Date.now();
        this.stmt(
          `UPDATE trials SET params = ?, distributions = ?, seed = ?, system_attrs = ?, started_at = ?, heartbeat_at = ?,
           change_seq = ? WHERE id = ?`,
        ).run(
          JSON.stringify(start.params),
          JSON.stringify(start.distributions),
          start.seed,
          JSON.stringify(start.systemAttrs ?? {}),
          now,
          now,
          this.nextSeq(studyId),
          trialId,
        );
      })
      .immediate();
    return this.getTrialSync(trialId);
  }

  async withdrawTrial(trialId: number, reason: string): Promise<void> {
    this.db
      .transaction(() => {
        const studyId = this.assertReservation(trialId);
        // Under the write lock no reservation can come after this check: the last number is given back whole.
        const deleted = this.stmt('DELETE FROM trials WHERE id = ? AND number = (SELECT MAX(number) FROM trials WHERE study_id = ?)').run(
          trialId,
          studyId,
        ).changes;
        if (deleted > 0) return;
        this.stmt("UPDATE trials SET state = 'failed', fail_reason = ?, finished_at = ?, change_seq = ? WHERE id = ?").run(
          reason,
          Date.now(),
          this.nextSeq(studyId),
          trialId,
        );
      })
      .immediate();
  }

  /**
   * Inserts the study's next trial with what `row` gives for its number. The count, the number and the insert
   * share one IMMEDIATE transaction: two processes can neither take the same number nor both take the last place
   * in the budget. Returns its id and number (the row is read back only by callers that need it); null, writing
   * nothing, when the study has `maxTrials` trials already.
   */
  private insertTrial(studyId: number, row: (next: number) => NewTrialRow, maxTrials?: number): Reservation | null {
    const insert = this.db.transaction((): Reservation | null => {
      const { next, count } = this.stmt(
        `SELECT COALESCE(MAX(number) + 1, 0) AS next, COALESCE(SUM(NOT ${ENDED_UNSTARTED_SQL}), 0) AS count FROM trials WHERE study_id = ?`,
      ).get(studyId) as { next: number; count: number };
      if (maxTrials !== undefined && count >= maxTrials) return null;
      const input = row(next);
      const info = this.stmt(
        `INSERT INTO trials (study_id, change_seq, number, state, params, distributions, seed, system_attrs, created_at, started_at, heartbeat_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        studyId,
        this.nextSeq(studyId),
        next,
        input.state,
        input.params,
        input.distributions,
        input.seed,
        input.systemAttrs,
        Date.now(),
        input.startedAt,
        input.heartbeatAt,
      );
      return { id: Number(info.lastInsertRowid), number: next };
    });
    try {
      return insert.immediate();
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new StorageError(`no study with id ${studyId}`, { cause: error });
      }
      throw error;
    }
  }

  async countTrials(studyId: number, query: TrialQuery = {}): Promise<number> {
    this.getStudySync(studyId);
    const states = query.states;
    if (states && states.length === 0) return 0;
    const sql = states
      ? `SELECT COUNT(*) AS n FROM trials WHERE study_id = ? AND state IN (${states.map(() => '?').join(', ')})`
      : 'SELECT COUNT(*) AS n FROM trials WHERE study_id = ?';
    return (this.stmt(sql).get(studyId, ...(states ?? [])) as { n: number }).n;
  }

  async claimWaitingTrial(studyId: number): Promise<TrialRecord | null> {
    // The controller asks before every trial and there is almost never a waiting one: a plain read first keeps
    // the write lock (and its transaction) for when there is something to claim.
    const waiting = "SELECT id FROM trials WHERE study_id = ? AND state = 'waiting' ORDER BY number LIMIT 1";
    if (!this.stmt(waiting).get(studyId)) return null;
    const claim = this.db.transaction((): number | null => {
      const row = this.stmt(waiting).get(studyId) as { id: number } | undefined;
      if (!row) return null;
      const now = Date.now();
      this.stmt("UPDATE trials SET state = 'running', started_at = ?, heartbeat_at = ?, change_seq = ? WHERE id = ?").run(
        now,
        now,
        this.nextSeq(studyId),
        row.id,
      );
      return row.id;
    });
    const id = claim.immediate();
    return id === null ? null : this.getTrialSync(id);
  }

  async getTrial(trialId: number): Promise<TrialRecord> {
    return this.getTrialSync(trialId);
  }

  async listTrials(studyId: number, query: TrialQuery = {}): Promise<TrialRecord[]> {
    this.getStudySync(studyId);
    const rows = this.stmt('SELECT * FROM trials WHERE study_id = ? ORDER BY number').all(studyId) as TrialRow[];
    const states = query.states;
    return rows.map(toTrial).filter((t) => !states || states.includes(t.state));
  }

  async recordStep(trialId: number, step: number, metrics: Metrics): Promise<void> {
    this.db
      .transaction(() => {
        const studyId = this.assertUnfinished(trialId);
        const known = this.stmt('SELECT 1 FROM trial_steps WHERE trial_id = ? AND step = ?').get(trialId, step) !== undefined;
        const seq = this.nextSeq(studyId);
        this.stmt(
          'INSERT OR REPLACE INTO trial_steps (trial_id, step, metrics, recorded_at, study_id, change_seq) VALUES (?, ?, ?, ?, ?, ?)',
        ).run(trialId, step, stringifyNumbers(metrics), Date.now(), studyId, seq);
        this.stmt(
          `UPDATE trials SET last_step = MAX(COALESCE(last_step, ?), ?), heartbeat_at = ?, step_count = step_count + ?,
           change_seq = ? WHERE id = ?`,
        ).run(step, step, Date.now(), known ? 0 : 1, seq, trialId);
        const name = this.stmt('INSERT OR IGNORE INTO study_metrics (study_id, name) VALUES (?, ?)');
        for (const key of Object.keys(metrics)) name.run(studyId, key);
      })
      .immediate();
  }

  async listSteps(trialId: number): Promise<StepRecord[]> {
    this.getTrialSync(trialId);
    const rows = this.stmt('SELECT step, metrics, recorded_at FROM trial_steps WHERE trial_id = ? ORDER BY step').all(trialId) as StepRow[];
    return rows.map(toStep);
  }

  async listStepsOf(studyId: number, trialIds: readonly number[]): Promise<Map<number, StepRecord[]>> {
    this.getStudySync(studyId);
    const select = this.stmt(
      `SELECT s.step, s.metrics, s.recorded_at FROM trial_steps s JOIN trials t ON t.id = s.trial_id
       WHERE s.trial_id = ? AND t.study_id = ? ORDER BY s.step`,
    );
    const out = new Map<number, StepRecord[]>();
    for (const id of trialIds) {
      const rows = select.all(id, studyId) as StepRow[];
      if (rows.length > 0) out.set(id, rows.map(toStep));
    }
    return out;
  }

  async listStepMetrics(studyId: number): Promise<string[]> {
    this.getStudySync(studyId);
    return (this.stmt('SELECT name FROM study_metrics WHERE study_id = ? ORDER BY name').all(studyId) as { name: string }[]).map(
      (r) => r.name,
    );
  }

  async pageTrials(studyId: number, query: TrialPageQuery): Promise<TrialPage> {
    this.getStudySync(studyId);
    const states = query.states ? JSON.stringify(query.states) : null;
    const filter = 'study_id = ? AND (? IS NULL OR state IN (SELECT value FROM json_each(?)))';
    const { total } = this.stmt(`SELECT COUNT(*) AS total FROM trials WHERE ${filter}`).get(studyId, states, states) as { total: number };
    const { changedAt } = this.stmt(
      `SELECT COALESCE(MAX(MAX(created_at, COALESCE(started_at, 0), COALESCE(heartbeat_at, 0), COALESCE(finished_at, 0))), 0)
       AS changedAt FROM trials WHERE study_id = ?`,
    ).get(studyId) as { changedAt: number };
    const dir = query.order === 'asc' ? 'ASC' : 'DESC';
    // Non-finite values are stored as strings (see stringifyNumbers), so only JSON numbers count as values.
    const order = query.sort === 'number' ? `number ${dir}` : `v IS NULL, v ${dir}, number`;
    const value = `CASE WHEN json_type("values", '$[0]') IN ('integer', 'real') THEN json_extract("values", '$[0]') END`;
    const rows = this.stmt(`SELECT *, ${value} AS v FROM trials WHERE ${filter} ORDER BY ${order} LIMIT ? OFFSET ?`).all(
      studyId,
      states,
      states,
      query.limit,
      query.offset,
    ) as TrialRow[];
    return { total, changedAt, trials: rows.map(toTrial) };
  }

  async listTrialPoints(studyId: number, query: TrialPointQuery = {}): Promise<TrialPoint[]> {
    this.getStudySync(studyId);
    const states = query.states ? JSON.stringify(query.states) : null;
    const columns = query.params ? 'params, distributions' : "'{}' AS params, '{}' AS distributions";
    // Rows as arrays: building 10,000 keyed objects costs as much as the query.
    const rows = this.stmt(
      `SELECT id, number, state, "values", step_count, ${columns} FROM trials
       WHERE study_id = ? AND (? IS NULL OR state IN (SELECT value FROM json_each(?))) ORDER BY number`,
    )
      .raw(true)
      .all(studyId, states, states) as [number, number, TrialPoint['state'], string | null, number, string, string][];
    // Trials of one study mostly share one search space: parse each distinct text once.
    const parsed = new Map<string, TrialPoint['distributions']>();
    return rows.map(([id, number, state, values, steps, params, text]) => {
      let distributions = parsed.get(text);
      if (!distributions) parsed.set(text, (distributions = JSON.parse(text) as TrialPoint['distributions']));
      return {
        id,
        number,
        state,
        values: values === null ? null : parseNumbers<number[]>(values),
        params: JSON.parse(params),
        distributions,
        steps,
      };
    });
  }

  async finishTrial(trialId: number, end: TrialEnd): Promise<TrialRecord> {
    this.db
      .transaction(() => {
        const studyId = this.assertUnfinished(trialId);
        const values = end.state === 'failed' ? null : end.values ? stringifyNumbers(end.values) : null;
        const reason = end.state === 'failed' ? end.reason : end.state === 'pruned' ? (end.reason ?? null) : null;
        this.stmt(
          `UPDATE trials SET state = ?, "values" = ?, metrics = ?, backend = COALESCE(?, backend), fail_reason = ?,
           finished_at = ?, change_seq = ? WHERE id = ?`,
        ).run(
          end.state,
          values,
          stringifyNumbers(end.metrics ?? {}),
          end.backend ?? null,
          reason,
          Date.now(),
          this.nextSeq(studyId),
          trialId,
        );
        for (const [key, value] of Object.entries(end.systemAttrs ?? {})) this.mergeSystemAttr(trialId, key, value);
        for (const artifact of end.artifacts ?? []) this.insertArtifact(trialId, artifact);
      })
      .immediate();
    return this.getTrialSync(trialId);
  }

  async setTrialUserAttr(trialId: number, key: string, value: unknown): Promise<void> {
    this.setAttr('trials', 'user_attrs', trialId, key, value);
  }

  async setTrialSystemAttr(trialId: number, key: string, value: unknown): Promise<void> {
    this.setAttr('trials', 'system_attrs', trialId, key, value);
  }

  async heartbeat(trialId: number): Promise<void> {
    this.db
      .transaction(() => {
        this.assertUnfinished(trialId);
        this.stmt('UPDATE trials SET heartbeat_at = ? WHERE id = ?').run(Date.now(), trialId);
      })
      .immediate();
  }

  async failStaleTrials(studyId: number, olderThanMs: number, reason: string): Promise<TrialRecord[]> {
    const cutoff = Date.now() - olderThanMs;
    const ids = this.db
      .transaction((): number[] => {
        const rows = this.stmt("SELECT id FROM trials WHERE study_id = ? AND state = 'running' AND COALESCE(heartbeat_at, 0) <= ?").all(
          studyId,
          cutoff,
        ) as { id: number }[];
        const fail = this.stmt("UPDATE trials SET state = 'failed', fail_reason = ?, finished_at = ?, change_seq = ? WHERE id = ?");
        for (const row of rows) fail.run(reason, Date.now(), this.nextSeq(studyId), row.id);
        return rows.map((r) => r.id);
      })
      .immediate();
    return ids.map((id) => this.getTrialSync(id));
  }

  async listTrialsChangedSince(studyId: number, since: number): Promise<Changes<TrialRecord>> {
    const rows = this.stmt('SELECT * FROM trials WHERE study_id = ? AND change_seq > ? ORDER BY change_seq').all(
      studyId,
      since,
    ) as (TrialRow & { change_seq: number })[];
    return { items: rows.map(toTrial), seq: this.highWater(studyId, since, rows) };
  }

  async listStepsSince(studyId: number, since: number): Promise<Changes<StudyStep>> {
    const rows = this.stmt(
      `SELECT s.trial_id, t.number, s.step, s.metrics, s.recorded_at, s.change_seq FROM trial_steps s
       JOIN trials t ON t.id = s.trial_id WHERE s.study_id = ? AND s.change_seq > ? ORDER BY s.change_seq`,
    ).all(studyId, since) as StudyStepRow[];
    return { items: rows.map(toStudyStep), seq: this.highWater(studyId, since, rows) };
  }

  async addArtifact(trialId: number, artifact: NewArtifact): Promise<ArtifactRecord> {
    this.getTrialSync(trialId);
    const id = this.insertArtifact(trialId, artifact);
    return toArtifact(this.stmt('SELECT * FROM artifacts WHERE id = ?').get(id) as ArtifactRow);
  }

  private insertArtifact(trialId: number, artifact: NewArtifact): number {
    const info = this.stmt('INSERT INTO artifacts (trial_id, kind, uri, bytes, created_at) VALUES (?, ?, ?, ?, ?)').run(
      trialId,
      artifact.kind,
      artifact.uri,
      artifact.bytes ?? null,
      Date.now(),
    );
    return Number(info.lastInsertRowid);
  }

  async listArtifacts(trialId: number): Promise<ArtifactRecord[]> {
    this.getTrialSync(trialId);
    return (this.stmt('SELECT * FROM artifacts WHERE trial_id = ? ORDER BY id').all(trialId) as ArtifactRow[]).map(toArtifact);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  /**
   * The study's next change sequence number, taken inside the caller's write transaction. Writers hold the write
   * lock until they commit, so changes become visible in sequence order, and a reader that has seen number k has
   * seen every change before it (in PostgreSQL the counter row's lock, taken by this upsert, gives the same order).
   * An upsert, so a study needs no counter row until its first change; a missing study fails its foreign key.
   */
  private nextSeq(studyId: number): number {
    try {
      const row = this.stmt(
        'INSERT INTO study_changes (study_id, seq) VALUES (?, 1) ON CONFLICT (study_id) DO UPDATE SET seq = seq + 1 RETURNING seq',
      ).get(studyId) as { seq: number };
      return row.seq;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw error;
      throw new StorageError(`no study with id ${studyId}`, { cause: error });
    }
  }

  /**
   * The mark after a feed read: its last row's number (rows come in sequence order, and changes commit in that
   * order, see nextSeq), or `since` when nothing changed. Read from the rows themselves, not the study's counter,
   * so the mark and the rows come from one snapshot without a read transaction. An empty read checks the study
   * exists, as every other read does.
   */
  private highWater(studyId: number, since: number, rows: readonly { change_seq: number }[]): number {
    if (rows.length === 0) this.getStudySync(studyId);
    return rows.at(-1)?.change_seq ?? since;
  }

  private getStudySync(studyId: number): StudyRecord {
    const row = this.stmt('SELECT * FROM studies WHERE id = ?').get(studyId) as StudyRow | undefined;
    if (!row) throw new StorageError(`no study with id ${studyId}`);
    return toStudy(row);
  }

  private getTrialSync(trialId: number): TrialRecord {
    const row = this.stmt('SELECT * FROM trials WHERE id = ?').get(trialId) as TrialRow | undefined;
    if (!row) throw new StorageError(`no trial with id ${trialId}`);
    return toTrial(row);
  }

  /** Returns the trial's study id. */
  private assertUnfinished(trialId: number): number {
    const row = this.stmt('SELECT number, state, study_id FROM trials WHERE id = ?').get(trialId) as
      | { number: number; state: string; study_id: number }
      | undefined;
    if (!row) throw new StorageError(`no trial with id ${trialId}`);
    if (row.state === 'complete' || row.state === 'pruned' || row.state === 'failed') {
      throw new StorageError(`trial ${row.number} is ${row.state}; finished trials cannot change`);
    }
    return row.study_id;
  }

  private setAttr(table: 'studies' | 'trials', column: 'user_attrs' | 'system_attrs', id: number, key: string, value: unknown): void {
    this.db
      .transaction(() => {
        const path = attrPath(key);
        const json = JSON.stringify(value ?? null);
        // A trial's attribute is a change of the trial (the feed's); a study's is not.
        const changes =
          table === 'trials'
            ? this.stmt(`UPDATE trials SET ${column} = json_set(${column}, ?, json(?)), change_seq = ? WHERE id = ?`).run(
                path,
                json,
                this.nextSeq(this.assertUnfinished(id)),
                id,
              ).changes
            : this.stmt(`UPDATE studies SET ${column} = json_set(${column}, ?, json(?)) WHERE id = ?`).run(path, json, id).changes;
        this.mustChange(changes, table === 'studies' ? 'study' : 'trial', id);
      })
      .immediate();
  }

  /** Sets one system attribute of a trial inside the caller's transaction, as setAttr does (json_set's key order). */
  private mergeSystemAttr(trialId: number, key: string, value: unknown): void {
    this.stmt('UPDATE trials SET system_attrs = json_set(system_attrs, ?, json(?)) WHERE id = ?').run(
      attrPath(key),
      JSON.stringify(value ?? null),
      trialId,
    );
  }

  /** Returns the study id of a trial reserved and not yet started (see isReservation); throws for any other. */
  private assertReservation(trialId: number): number {
    const studyId = this.assertUnfinished(trialId);
    const row = this.stmt('SELECT number, state, started_at, heartbeat_at FROM trials WHERE id = ?').get(trialId) as {
      number: number;
      state: string;
      started_at: number | null;
      heartbeat_at: number | null;
    };
    if (row.state !== 'running' || !isReservation({ state: row.state, startedAt: row.started_at, heartbeatAt: row.heartbeat_at })) {
      throw new StorageError(`trial ${row.number} is not a reservation`);
    }
    return studyId;
  }

  private noteSync(studyId: number): StudyNote {
    const row = this.stmt('SELECT note, note_version, note_updated_at FROM studies WHERE id = ?').get(studyId) as
      | { note: string; note_version: number; note_updated_at: number | null }
      | undefined;
    if (!row) throw new StorageError(`no study with id ${studyId}`);
    return { text: row.note, version: row.note_version, updatedAt: row.note_updated_at };
  }

  private mustChange(changes: number, what: string, id: number): void {
    if (changes === 0) throw new StorageError(`no ${what} with id ${id}`);
  }
}

/** The JSON path of a top-level attribute key, quoted so that any key (dots, quotes) is one key. */
function attrPath(key: string): string {
  // A path label in double quotes is read as JSON string text, so the key is written as JSON writes it: a `"`, `\`,
  // `.`, `[` or `$` in it is then part of the key, not an escape or a step of the path.
  return `$.${JSON.stringify(key)}`;
}

/**
 * Switches the file to WAL. A new file opened by several processes at once can answer SQLITE_BUSY here despite the
 * busy timeout (the switch needs the file to itself, and SQLite does not wait for that), so it is tried again for a
 * few seconds before the open fails.
 */
function walMode(db: Database): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt++) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || attempt >= 100) throw error;
      // Processes racing for one file wait different times (by pid), so they do not collide again in step.
      Atomics.wait(pause, 0, 0, 10 + ((process.pid + attempt * 7) % 40));
    }
  }
}
