import { createHash } from 'node:crypto';
import type pg from 'pg';
import { InputError, StorageError } from '../../core/errors.js';
import type { ArtifactRecord, Metrics, StepRecord, StudyRecord, StudyState, TrialRecord } from '../../core/types.js';
import {
  ENDED_UNSTARTED_SQL,
  emptyCounts,
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
  type StudyRow,
  type StudyStepRow,
  type TrialRow,
} from '../sqlite/rows.js';
import { connectionError, createPool, parsePostgresUrl, type PostgresOptions } from './connect.js';
import { hasAutotuneSchema, migrate } from './migrations.js';
import { noSchema } from '../no-schema.js';
import { retryConnectionFailures, type RetryPolicy } from './retry.js';
import { onOneClient, type Send } from './transaction.js';
import { PostgresTrialFiles } from './trial-files.js';
import { importStudyInto } from './import-study.js';
import type { StudyImport } from '../study-import.js';

/** The database's clock in milliseconds: heartbeats and staleness must not depend on each machine's clock. */
const NOW = '(extract(epoch from now()) * 1000)::bigint';
const UNFINISHED = "state IN ('waiting', 'running')";
/** A reservation not yet started (see isReservation in storage.ts). */
const RESERVED = "state = 'running' AND started_at IS NULL AND heartbeat_at IS NOT NULL";

/**
 * The study's next change sequence number (see the change feed in storage.ts), as a statement or a CTE: it takes
 * the study's counter row lock, held until the write's own transaction commits. A writer that gets number k has
 * waited for the one that got k - 1 to commit, so changes commit in number order and a reader whose snapshot holds
 * number k holds every earlier change: a mark can never pass a change not yet committed. The counter row is
 * created with its study (createStudy, or the migration for older studies).
 *
 * Lock order, so that writers on other machines cannot deadlock: a trial's row first, then the counter. Where a
 * CTE takes both, the counter's WHERE reads the CTE that locked the trial, so PostgreSQL must take them in that
 * order. A new trial takes the study's row (FOR KEY SHARE, as its foreign key would), then the counter.
 */
const nextSeq = (studyId: string) => `UPDATE study_changes SET seq = seq + 1 WHERE study_id = ${studyId} RETURNING seq`;

/**
 * Studies in one PostgreSQL database, shared by any number of processes on any number of machines. Semantics are
 * those of SqliteStorage (same numbering, budget, encodings and orderings). Every round trip costs milliseconds
 * on a network, so a write is one statement (a step, a finish, a trial's start, a claim, a heartbeat), one
 * transaction in one round trip (a reservation, a note's compare-and-set) or in two (a created trial, an attribute, a
 * finish with attributes or artifacts, a withdrawal); a change-feed read is one query.
 *
 * @example const storage = await PostgresStorage.open('postgres://autotune:secret@db:5432/autotune');
 */
export class PostgresStorage implements Storage {
  /** Trial creation per study within this process, in call order (the database serializes the processes). */
  private readonly creating = new Map<number, Promise<unknown>>();
  /** Trial artifact files in the database: machines that share this database share no disk. */
  readonly files: PostgresTrialFiles;

  private constructor(
    readonly url: string,
    private readonly pool: pg.Pool,
    private readonly retry: RetryPolicy,
  ) {
    this.files = new PostgresTrialFiles(pool, (error) => this.serverError(error));
  }

  /**
   * Connects and migrates; a bad URL, password or host is an InputError naming the URL without its password. With
   * `create: false` a database without autotune's schema is refused the same way, and nothing is written to it.
   */
  static async open(url: string, options: PostgresOptions & { readonly create?: boolean } = {}): Promise<PostgresStorage> {
    const parsed = parsePostgresUrl(url, options);
    const pool = createPool(parsed);
    let client: pg.PoolClient;
    const connecting = performance.now();
    try {
      client = await pool.connect();
    } catch (error) {
      await pool.end().catch(() => {});
      throw connectionError(parsed.display, error, performance.now() - connecting >= parsed.connectTimeoutMs);
    }
    try {
      if (options.create === false && !(await hasAutotuneSchema(client))) throw noSchema(parsed.display);
      await migrate(client);
    } catch (error) {
      client.release(true);
      await pool.end().catch(() => {});
      if (error instanceof StorageError || error instanceof InputError) throw error;
      throw new StorageError(`cannot migrate PostgreSQL database ${parsed.display}: ${(error as Error).message}`, { cause: error });
    }
    client.release();
    return new PostgresStorage(parsed.display, pool, parsed.retry);
  }

  async createStudy(input: NewStudy): Promise<StudyRecord> {
    try {
      // With its change counter, in the same statement: every later change of the study takes the counter's lock.
      const { rows } = await this.query<StudyRow>(
        `WITH s AS (INSERT INTO studies (name, directions, config, created_at) VALUES ($1, $2, $3, ${NOW}) RETURNING *),
              c AS (INSERT INTO study_changes (study_id, seq) SELECT id, 0 FROM s)
         SELECT * FROM s`,
        [input.name, JSON.stringify(input.directions), JSON.stringify(input.config)],
      );
      return toStudy(rows[0] as StudyRow);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new StorageError(`a study named "${input.name}" already exists`, { cause: error });
      }
      throw error;
    }
  }

  async findStudy(name: string): Promise<StudyRecord | null> {
    const { rows } = await this.query<StudyRow>('SELECT * FROM studies WHERE name = $1', [name]);
    return rows[0] ? toStudy(rows[0]) : null;
  }

  async getStudy(studyId: number): Promise<StudyRecord> {
    const { rows } = await this.query<StudyRow>('SELECT * FROM studies WHERE id = $1', [studyId]);
    if (!rows[0]) throw new StorageError(`no study with id ${studyId}`);
    return toStudy(rows[0]);
  }

  async listStudies(): Promise<StudySummary[]> {
    const [studies, counts] = await Promise.all([
      this.query<StudyRow>('SELECT * FROM studies ORDER BY id'),
      this.query<{ study_id: number; state: keyof ReturnType<typeof emptyCounts>; n: number }>(
        'SELECT study_id, state, COUNT(*) AS n FROM trials GROUP BY study_id, state',
      ),
    ]);
    return studies.rows.map((row) => {
      const c = emptyCounts();
      for (const r of counts.rows) if (r.study_id === row.id) c[r.state] = r.n;
      return { ...toStudy(row), counts: c };
    });
  }

  async setStudyState(studyId: number, state: StudyState): Promise<void> {
    const { rowCount } = await this.query('UPDATE studies SET state = $1 WHERE id = $2', [state, studyId]);
    if (!rowCount) throw new StorageError(`no study with id ${studyId}`);
  }

  async setStudyUserAttr(studyId: number, key: string, value: unknown): Promise<void> {
    await this.setAttr('studies', 'user_attrs', studyId, key, value);
  }

  async setStudySystemAttr(studyId: number, key: string, value: unknown): Promise<void> {
    await this.setAttr('studies', 'system_attrs', studyId, key, value);
  }

  async getStudyNote(studyId: number): Promise<StudyNote> {
    const { rows } = await this.query<NoteRow>('SELECT note, note_version, note_updated_at FROM studies WHERE id = $1', [studyId]);
    if (!rows[0]) throw new StorageError(`no study with id ${studyId}`);
    return toNote(rows[0]);
  }

  async setStudyNote(studyId: number, text: string, expectedVersion: number): Promise<NoteSave> {
    if (!Number.isSafeInteger(studyId)) throw new StorageError(`no study with id ${studyId}`);
    // A version that is not an integer matches no stored one: nothing is written.
    const expected = Number.isSafeInteger(expectedVersion) ? String(expectedVersion) : 'NULL';
    return this.transaction(async (send, literal) => {
      // One round trip. The compare-and-set is the UPDATE's WHERE (rechecked on the newest row if another save
      // committed meanwhile); the SELECT, a statement of its own, then reads the note as stored after it: ours while
      // we hold the row, or the save that was in the way. The time is the database's.
      const [, updated, selected] = await send<[unknown, unknown, NoteRow, unknown]>(
        `BEGIN;
         UPDATE studies SET note = ${literal(text)}, note_version = note_version + 1, note_updated_at = ${NOW}
         WHERE id = ${studyId} AND note_version = ${expected};
         SELECT note, note_version, note_updated_at FROM studies WHERE id = ${studyId};
         COMMIT`,
      );
      const row = selected.rows[0];
      if (!row) throw new StorageError(`no study with id ${studyId}`);
      return { saved: (updated.rowCount ?? 0) > 0, note: toNote(row) };
    });
  }

  async deleteStudy(studyId: number): Promise<void> {
    // Trials, steps, metric names, artifacts and the change counter go with it through ON DELETE CASCADE.
    const { rowCount } = await this.query('DELETE FROM studies WHERE id = $1', [studyId]);
    if (!rowCount) throw new StorageError(`no study with id ${studyId}`);
  }

  async importStudy(input: StudyImport): Promise<StudyRecord> {
    return this.getStudy(await importStudyInto(this.pool, input, (error) => this.serverError(error)));
  }

  async createTrial(studyId: number, input: NewTrial): Promise<TrialRecord> {
    return this.inTurn(studyId, () => this.insertTrial(studyId, input));
  }

  async reserveTrial(studyId: number, options: { readonly maxTrials?: number } = {}): Promise<Reservation | null> {
    return this.inTurn(studyId, () => this.insertReservation(studyId, options.maxTrials));
  }

  async startTrial(trialId: number, start: TrialStart): Promise<TrialRecord> {
    if (!Number.isSafeInteger(start.seed)) throw new StorageError(`trial ${trialId}: the seed must be an integer, got ${start.seed}`);
    // One statement, as a finish: the reservation check is in the locking read, so a reaper that failed the trial
    // first wins and this writes nothing; the change number comes after the trial's lock.
    const { rows } = await this.query<TrialRow>(
      `WITH t AS (SELECT id, study_id FROM trials WHERE id = $1 AND ${RESERVED} FOR UPDATE),
            c AS (${nextSeq('(SELECT study_id FROM t)')})
       UPDATE trials SET params = $2, distributions = $3, seed = $4, system_attrs = $5, started_at = ${NOW}, heartbeat_at = ${NOW},
       change_seq = (SELECT seq FROM c) WHERE id = (SELECT id FROM t) RETURNING *`,
      [trialId, JSON.stringify(start.params), JSON.stringify(start.distributions), start.seed, JSON.stringify(start.systemAttrs ?? {})],
    );
    if (rows[0]) return toTrial(rows[0]);
    throw await this.whyNotReserved(trialId);
  }

  async withdrawTrial(trialId: number, reason: string): Promise<void> {
    if (!Number.isSafeInteger(trialId)) throw new StorageError(`no trial with id ${trialId}`);
    const withdrawn = await this.transaction(async (send, literal) => {
      const [, locked] = await send<[unknown, { study_id: number; number: number }]>(
        `BEGIN; SELECT study_id, number FROM trials WHERE id = ${trialId} AND ${RESERVED} FOR UPDATE`,
      );
      const row = locked.rows[0];
      if (!row) {
        await send('ROLLBACK');
        return false;
      }
      // The counter's lock (after the trial's) holds off new reservations, and the DELETE, a statement of its own,
      // sees every one committed before it: a number given back is the last one, taken again by the next reserver.
      await send(
        `${nextSeq(String(row.study_id))};
         DELETE FROM trials WHERE id = ${trialId} AND NOT EXISTS (SELECT 1 FROM trials WHERE study_id = ${row.study_id} AND number > ${row.number});
         UPDATE trials SET state = 'failed', fail_reason = ${literal(reason)}, finished_at = ${NOW},
         change_seq = (SELECT seq FROM study_changes WHERE study_id = ${row.study_id}) WHERE id = ${trialId};
         COMMIT`,
      );
      return true;
    });
    // Why not, asked once this transaction's connection is back in the pool (a pool of one would wait on itself).
    if (!withdrawn) throw await this.whyNotReserved(trialId);
  }

  /**
   * Runs trial creations of one study from this process one after another, in call order, so that they take
   * numbers in the order they were made (as with SQLite) and hold one connection, not one each waiting on the
   * same row lock.
   */
  private async inTurn<T>(studyId: number, create: () => Promise<T>): Promise<T> {
    const previous = this.creating.get(studyId) ?? Promise.resolve();
    const run = previous.catch(() => {}).then(create);
    this.creating.set(studyId, run);
    try {
      return await run;
    } finally {
      if (this.creating.get(studyId) === run) this.creating.delete(studyId);
    }
  }

  private async insertTrial(studyId: number, input: NewTrial): Promise<TrialRecord> {
    if (!Number.isSafeInteger(studyId)) throw new StorageError(`no study with id ${studyId}`);
    return this.transaction(async (send, literal) => {
      // The study's change counter row lock (see nextSeq) serializes numbering across processes; the next number
      // is a statement of its own, after the lock, so it sees every trial committed by whoever held the lock
      // before (READ COMMITTED takes a snapshot per statement). The study's row is held FOR KEY SHARE first, as the
      // new trial's foreign key will hold it, so that a study being deleted meanwhile waits for this transaction
      // (or this one for the delete) instead of the two deadlocking over the counter; other writes of the study
      // row (its state, note, attributes) share that lock or take it in turn. Numbers are dense from 0 (each is the
      // maximum + 1), so MAX alone reads one index entry, where COUNT(*) would read every trial of the study inside the
      // lock all writers wait for (bench/RESULTS.md).
      const [, locked, seqd, numbered] = await send<[unknown, { id: number }, { seq: number }, { next: number }]>(
        `BEGIN;
         SELECT id FROM studies WHERE id = ${studyId} FOR KEY SHARE;
         ${nextSeq(String(studyId))};
         SELECT COALESCE(MAX(number) + 1, 0)::int AS next FROM trials WHERE study_id = ${studyId}`,
      );
      const seq = seqd.rows[0]?.seq;
      if (locked.rowCount === 0 || seq === undefined) throw new StorageError(`no study with id ${studyId}`);
      const { next } = numbered.rows[0] as { next: number };
      const seed = resolveSeed(input.seed, next);
      if (!Number.isSafeInteger(seed)) throw new StorageError(`trial ${next}: the seed must be an integer, got ${seed}`);
      const json = (value: unknown) => literal(JSON.stringify(value));
      const running = input.state === 'running' ? NOW : 'NULL';
      const [inserted] = await send<[TrialRow, unknown]>(
        `INSERT INTO trials (study_id, change_seq, number, state, params, distributions, seed, system_attrs, created_at, started_at, heartbeat_at)
         VALUES (${studyId}, ${seq}, ${next}, ${literal(input.state)}, ${json(input.params)}, ${json(input.distributions)}, ${seed},
                 ${json(input.systemAttrs ?? {})}, ${NOW}, ${running}, ${running}) RETURNING *;
         COMMIT`,
      );
      return toTrial(inserted.rows[0] as TrialRow);
    });
  }

  private async insertReservation(studyId: number, maxTrials: number | undefined): Promise<Reservation | null> {
    if (!Number.isSafeInteger(studyId)) throw new StorageError(`no study with id ${studyId}`);
    // Counts are integers: count < max is count < ceil(max), as memory and SQLite compare.
    const budget = maxTrials === undefined || !Number.isFinite(maxTrials) ? 'TRUE' : `n < ${Math.ceil(maxTrials)}`;
    return this.transaction(async (send) => {
      // One round trip. The locks of insertTrial (the study's row, then the counter's, here without moving it); then
      // one statement, whose snapshot is taken after the counter's lock, so it counts and numbers from every trial
      // committed before: it moves the counter and inserts only within the budget. A study whose budget is spent
      // (every waiting worker asks again) thus costs its counter no new row version. Numbers are dense, so the study
      // holds `next` trials; those ended unstarted, which the budget skips, are read through their partial index
      // (schema 5), so the count stays flat however long the study's history.
      const [, locked, , inserted] = await send<[unknown, { id: number }, unknown, { id: number; number: number }, unknown]>(
        `BEGIN;
         SELECT id FROM studies WHERE id = ${studyId} FOR KEY SHARE;
         SELECT seq FROM study_changes WHERE study_id = ${studyId} FOR UPDATE;
         WITH m AS (SELECT COALESCE(MAX(number) + 1, 0) AS next FROM trials WHERE study_id = ${studyId}),
              t AS (SELECT next, next - (SELECT COUNT(*) FROM trials WHERE study_id = ${studyId} AND ${ENDED_UNSTARTED_SQL}) AS n FROM m),
              c AS (UPDATE study_changes SET seq = seq + 1 WHERE study_id = ${studyId} AND (SELECT ${budget} FROM t) RETURNING seq)
         INSERT INTO trials (study_id, change_seq, number, state, params, distributions, seed, system_attrs, created_at, started_at, heartbeat_at)
         SELECT ${studyId}, c.seq, t.next, 'running', '{}', '{}', 0, '{}', ${NOW}, NULL, ${NOW} FROM c, t RETURNING id, number;
         COMMIT`,
      );
      if (locked.rowCount === 0) throw new StorageError(`no study with id ${studyId}`);
      const row = inserted.rows[0];
      return row ? { id: row.id, number: row.number } : null;
    });
  }

  async countTrials(studyId: number, query: TrialQuery = {}): Promise<number> {
    const { rows } = await this.query<{ n: number }>(
      `SELECT (SELECT COUNT(*) FROM trials WHERE study_id = $1 AND ($2::text[] IS NULL OR state = ANY($2))) AS n
       FROM studies WHERE id = $1`,
      [studyId, query.states ?? null],
    );
    if (!rows[0]) throw new StorageError(`no study with id ${studyId}`);
    return rows[0].n;
  }

  async claimWaitingTrial(studyId: number): Promise<TrialRecord | null> {
    // One statement, its own transaction: SKIP LOCKED lets claimers on other machines pass a row someone else is
    // taking instead of queueing behind it, and the lock means no two of them start the same trial. The trial's
    // lock comes first, then the change number (only when there is a trial to claim, which is seldom).
    const { rows } = await this.query<TrialRow>(
      `WITH t AS (SELECT id FROM trials WHERE study_id = $1 AND state = 'waiting' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED),
            c AS (UPDATE study_changes SET seq = seq + 1 WHERE study_id = $1 AND EXISTS (SELECT 1 FROM t) RETURNING seq)
       UPDATE trials SET state = 'running', started_at = ${NOW}, heartbeat_at = ${NOW}, change_seq = (SELECT seq FROM c)
       WHERE id = (SELECT id FROM t) RETURNING *`,
      [studyId],
    );
    return rows[0] ? toTrial(rows[0]) : null;
  }

  async getTrial(trialId: number): Promise<TrialRecord> {
    const { rows } = await this.query<TrialRow>('SELECT * FROM trials WHERE id = $1', [trialId]);
    if (!rows[0]) throw new StorageError(`no trial with id ${trialId}`);
    return toTrial(rows[0]);
  }

  async listTrials(studyId: number, query: TrialQuery = {}): Promise<TrialRecord[]> {
    const [, { rows }] = await Promise.all([
      this.assertStudy(studyId),
      this.query<TrialRow>('SELECT * FROM trials WHERE study_id = $1 AND ($2::text[] IS NULL OR state = ANY($2)) ORDER BY number', [
        studyId,
        query.states ?? null,
      ]),
    ]);
    return rows.map(toTrial);
  }

  async recordStep(trialId: number, step: number, metrics: Metrics): Promise<void> {
    // One statement: the step (a repeat replaces it; `xmax = 0` tells an insert from an update, also when two
    // reports race), the trial's progress and heartbeat, and the study's metric names, all only while it runs. The
    // step and the trial take one change number (c), after the trial's lock (t).
    const { rows } = await this.query<{ number: number; state: string }>(
      `WITH t AS (SELECT id, study_id, number, state FROM trials WHERE id = $1 FOR UPDATE),
            ok AS (SELECT id, study_id FROM t WHERE ${UNFINISHED}),
            c AS (${nextSeq('(SELECT study_id FROM ok)')}),
            up AS (INSERT INTO trial_steps (trial_id, step, metrics, recorded_at, study_id, change_seq)
                   SELECT ok.id, $2, $3, ${NOW}, ok.study_id, c.seq FROM ok, c
                   ON CONFLICT (trial_id, step) DO UPDATE SET metrics = EXCLUDED.metrics, recorded_at = EXCLUDED.recorded_at,
                   change_seq = EXCLUDED.change_seq
                   RETURNING (xmax = 0) AS inserted),
            tr AS (UPDATE trials SET last_step = GREATEST(COALESCE(last_step, $2), $2), heartbeat_at = ${NOW},
                   step_count = step_count + (SELECT CASE WHEN inserted THEN 1 ELSE 0 END FROM up),
                   change_seq = (SELECT seq FROM c)
                   WHERE id IN (SELECT id FROM ok) RETURNING 1),
            names AS (INSERT INTO study_metrics (study_id, name) SELECT ok.study_id, n FROM ok, unnest($4::text[]) AS n
                      ON CONFLICT DO NOTHING RETURNING 1)
       SELECT number, state FROM t`,
      [trialId, step, stringifyNumbers(metrics), Object.keys(metrics)],
    );
    this.assertWasUnfinished(trialId, rows[0]);
  }

  async listSteps(trialId: number): Promise<StepRecord[]> {
    const [, { rows }] = await Promise.all([
      this.getTrial(trialId),
      this.query<StepRow>('SELECT step, metrics, recorded_at FROM trial_steps WHERE trial_id = $1 ORDER BY step', [trialId]),
    ]);
    return rows.map(toStep);
  }

  async listStepsOf(studyId: number, trialIds: readonly number[]): Promise<Map<number, StepRecord[]>> {
    const [, { rows }] = await Promise.all([
      this.assertStudy(studyId),
      this.query<StepRow & { trial_id: number }>(
        `SELECT s.trial_id, s.step, s.metrics, s.recorded_at FROM trial_steps s JOIN trials t ON t.id = s.trial_id
         WHERE s.trial_id = ANY($1::int[]) AND t.study_id = $2 ORDER BY s.trial_id, s.step`,
        [trialIds.filter((id) => Number.isSafeInteger(id) && Math.abs(id) < 2 ** 31), studyId],
      ),
    ]);
    // In the order asked for, as SQLite gives them.
    const byTrial = groupSteps(rows);
    const out = new Map<number, StepRecord[]>();
    for (const id of trialIds) {
      const steps = byTrial.get(id);
      if (steps) out.set(id, steps);
    }
    return out;
  }

  async listStepMetrics(studyId: number): Promise<string[]> {
    const [, { rows }] = await Promise.all([
      this.assertStudy(studyId),
      // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
      this.query<{ name: string }>('SELECT name FROM study_metrics WHERE study_id = $1 ORDER BY name COLLATE "C"', [studyId]),
    ]);
    return rows.map((r) => r.name);
  }

  async pageTrials(studyId: number, query: TrialPageQuery): Promise<TrialPage> {
    const filter = 'study_id = $1 AND ($2::text[] IS NULL OR state = ANY($2))';
    const states = query.states ?? null;
    const dir = query.order === 'asc' ? 'ASC' : 'DESC';
    // Non-finite values are stored as strings (see stringifyNumbers), so only JSON numbers count as values.
    const value = `(CASE WHEN jsonb_typeof(("values")::jsonb -> 0) = 'number' THEN (("values")::jsonb ->> 0)::float8 END)`;
    const order = query.sort === 'number' ? `number ${dir}` : `${value} IS NULL, ${value} ${dir}, number`;
    const [, total, changed, page] = await Promise.all([
      this.assertStudy(studyId),
      this.query<{ total: number }>(`SELECT COUNT(*) AS total FROM trials WHERE ${filter}`, [studyId, states]),
      this.query<{ changed_at: number }>(
        `SELECT COALESCE(MAX(GREATEST(created_at, COALESCE(started_at, 0), COALESCE(heartbeat_at, 0), COALESCE(finished_at, 0))), 0)
         AS changed_at FROM trials WHERE study_id = $1`,
        [studyId],
      ),
      this.query<TrialRow>(`SELECT * FROM trials WHERE ${filter} ORDER BY ${order} LIMIT $3 OFFSET $4`, [
        studyId,
        states,
        query.limit,
        query.offset,
      ]),
    ]);
    return { total: total.rows[0]?.total ?? 0, changedAt: changed.rows[0]?.changed_at ?? 0, trials: page.rows.map(toTrial) };
  }

  async listTrialPoints(studyId: number, query: TrialPointQuery = {}): Promise<TrialPoint[]> {
    const columns = query.params ? 'params, distributions' : "'{}' AS params, '{}' AS distributions";
    const [, { rows }] = await Promise.all([
      this.assertStudy(studyId),
      this.query<{
        id: number;
        number: number;
        state: TrialPoint['state'];
        values: string | null;
        step_count: number;
        params: string;
        distributions: string;
      }>(
        `SELECT id, number, state, "values", step_count, ${columns} FROM trials
         WHERE study_id = $1 AND ($2::text[] IS NULL OR state = ANY($2)) ORDER BY number`,
        [studyId, query.states ?? null],
      ),
    ]);
    // Trials of one study mostly share one search space: parse each distinct text once.
    const parsed = new Map<string, TrialPoint['distributions']>();
    return rows.map((r) => {
      let distributions = parsed.get(r.distributions);
      if (!distributions) parsed.set(r.distributions, (distributions = JSON.parse(r.distributions) as TrialPoint['distributions']));
      const values = r.values === null ? null : parseNumbers<number[]>(r.values);
      return { id: r.id, number: r.number, state: r.state, values, params: JSON.parse(r.params), distributions, steps: r.step_count };
    });
  }

  async finishTrial(trialId: number, end: TrialEnd): Promise<TrialRecord> {
    const values = end.state === 'failed' ? null : end.values ? stringifyNumbers(end.values) : null;
    const reason = end.state === 'failed' ? end.reason : end.state === 'pruned' ? (end.reason ?? null) : null;
    if (Object.keys(end.systemAttrs ?? {}).length > 0 || (end.artifacts ?? []).length > 0) {
      return this.finishWithRecords(trialId, end, values, reason);
    }
    // The state check is in the locking read (rechecked on the newest row), so of two processes finishing one trial
    // exactly one succeeds, and only it takes a change number (after the trial's lock).
    let repeated = false;
    const { rows } = await this.query<TrialRow>(
      `WITH t AS (SELECT id, study_id FROM trials WHERE id = $1 AND ${UNFINISHED} FOR UPDATE),
            c AS (${nextSeq('(SELECT study_id FROM t)')})
       UPDATE trials SET state = $2, "values" = $3, metrics = $4, backend = COALESCE($5, backend), fail_reason = $6,
       finished_at = ${NOW}, change_seq = (SELECT seq FROM c) WHERE id = (SELECT id FROM t) RETURNING *`,
      [trialId, end.state, values, stringifyNumbers(end.metrics ?? {}), end.backend ?? null, reason],
      () => (repeated = true),
    );
    if (rows[0]) return toTrial(rows[0]);
    if (repeated) {
      // The first try may have committed and lost only its acknowledgement: the trial as it wrote it is ours.
      const { rows: stored } = await this.query<TrialRow>('SELECT * FROM trials WHERE id = $1', [trialId]);
      if (stored[0] && isEndOf(stored[0], end.state, values, reason)) return toTrial(stored[0]);
    }
    throw await this.whyUnchanged(trialId);
  }

  /**
   * A finish that also merges system attributes and adds artifact records: one transaction of two round trips, the
   * trial's row locked and read first (attributes are merged here, as setAttr merges them), then everything
   * written with the change number and committed. Nothing is written when the trial has finished already.
   */
  private async finishWithRecords(trialId: number, end: TrialEnd, values: string | null, reason: string | null): Promise<TrialRecord> {
    if (!Number.isSafeInteger(trialId)) throw new StorageError(`no trial with id ${trialId}`);
    for (const a of end.artifacts ?? []) {
      if (a.bytes !== undefined && a.bytes !== null && !Number.isSafeInteger(a.bytes))
        throw new StorageError(`artifact ${a.uri}: bytes must be an integer, got ${a.bytes}`);
    }
    let repeated = false;
    try {
      return await this.transaction(
        async (send, literal) => {
          const [, selected] = await send<[unknown, { attrs: string; number: number; state: string; study_id: number }]>(
            `BEGIN; SELECT system_attrs AS attrs, number, state, study_id FROM trials WHERE id = ${trialId} FOR UPDATE`,
          );
          const row = selected.rows[0];
          this.assertWasUnfinished(trialId, row);
          const { study_id: studyId } = row as { study_id: number };
          const attrs = JSON.parse((row as { attrs: string }).attrs) as Record<string, unknown>;
          for (const [key, value] of Object.entries(end.systemAttrs ?? {})) {
            Object.defineProperty(attrs, key, { value: value ?? null, enumerable: true, writable: true, configurable: true });
          }
          const text = (value: string | null) => (value === null ? 'NULL' : literal(value));
          const artifacts = (end.artifacts ?? []).map(
            (a) => `(${trialId}, ${literal(a.kind)}, ${literal(a.uri)}, ${a.bytes ?? 'NULL'}, ${NOW})`,
          );
          const [updated] = await send<[TrialRow, unknown, unknown]>(
            `WITH c AS (${nextSeq(String(studyId))})
           UPDATE trials SET state = ${literal(end.state)}, "values" = ${text(values)}, metrics = ${literal(stringifyNumbers(end.metrics ?? {}))},
           backend = COALESCE(${text(end.backend ?? null)}, backend), fail_reason = ${text(reason)}, system_attrs = ${literal(JSON.stringify(attrs))},
           finished_at = ${NOW}, change_seq = (SELECT seq FROM c) WHERE id = ${trialId} RETURNING *;
           ${artifacts.length > 0 ? `INSERT INTO artifacts (trial_id, kind, uri, bytes, created_at) VALUES ${artifacts.join(', ')};` : ''}
           COMMIT`,
          );
          return toTrial(updated.rows[0] as TrialRow);
        },
        () => (repeated = true),
      );
    } catch (error) {
      // As in finishTrial: a first try that committed and lost only its acknowledgement finished the trial as ours.
      if (!repeated) throw error;
      const { rows: stored } = await this.query<TrialRow>('SELECT * FROM trials WHERE id = $1', [trialId]);
      if (stored[0] && isEndOf(stored[0], end.state, values, reason)) return toTrial(stored[0]);
      throw error;
    }
  }

  async setTrialUserAttr(trialId: number, key: string, value: unknown): Promise<void> {
    await this.setAttr('trials', 'user_attrs', trialId, key, value);
  }

  async setTrialSystemAttr(trialId: number, key: string, value: unknown): Promise<void> {
    await this.setAttr('trials', 'system_attrs', trialId, key, value);
  }

  async heartbeat(trialId: number): Promise<void> {
    const { rowCount } = await this.query(`UPDATE trials SET heartbeat_at = ${NOW} WHERE id = $1 AND ${UNFINISHED}`, [trialId]);
    if (!rowCount) throw await this.whyUnchanged(trialId);
  }

  async failStaleTrials(studyId: number, olderThanMs: number, reason: string): Promise<TrialRecord[]> {
    // Staleness by the database's clock, against heartbeats written by the same clock (rechecked on the newest row
    // by the lock: a heartbeat committed meanwhile saves its trial). The stale trials are locked first, then the
    // counter moves by their number at once, and each takes one of those numbers in trial-number order, as SQLite
    // numbers them one by one. Nothing stale: the counter is not touched.
    const { rows } = await this.query<TrialRow>(
      `WITH stale AS (SELECT id, number FROM trials
                      WHERE study_id = $1 AND state = 'running' AND COALESCE(heartbeat_at, 0) <= ${NOW} - $2::bigint FOR UPDATE),
            r AS (SELECT id, row_number() OVER (ORDER BY number) AS i, COUNT(*) OVER () AS n FROM stale),
            c AS (UPDATE study_changes SET seq = seq + (SELECT COUNT(*) FROM stale)
                  WHERE study_id = $1 AND EXISTS (SELECT 1 FROM stale) RETURNING seq)
       UPDATE trials t SET state = 'failed', fail_reason = $3, finished_at = ${NOW}, change_seq = c.seq - r.n + r.i
       FROM r, c WHERE t.id = r.id RETURNING t.*`,
      [studyId, Math.floor(olderThanMs), reason],
    );
    return rows.map(toTrial).sort((a, b) => a.number - b.number);
  }

  async listTrialsChangedSince(studyId: number, since: number): Promise<Changes<TrialRecord>> {
    // One statement, so the rows and the mark come from one snapshot; the study's row is there (with nulls when
    // nothing changed) unless the study is absent. Changes commit in number order (see nextSeq), so the last row's
    // number is a safe mark.
    const { rows } = await this.query<Nullable<TrialRow & { change_seq: number }>>(
      `SELECT t.* FROM studies s LEFT JOIN trials t ON t.study_id = s.id AND t.change_seq > $2
       WHERE s.id = $1 ORDER BY t.change_seq`,
      [studyId, seqParam(since)],
    );
    return changes(studyId, since, rows, (row) => toTrial(row));
  }

  async listStepsSince(studyId: number, since: number): Promise<Changes<StudyStep>> {
    const { rows } = await this.query<Nullable<StudyStepRow>>(
      `SELECT s.trial_id, t.number, s.step, s.metrics, s.recorded_at, s.change_seq
       FROM studies st LEFT JOIN (trial_steps s JOIN trials t ON t.id = s.trial_id) ON s.study_id = st.id AND s.change_seq > $2
       WHERE st.id = $1 ORDER BY s.change_seq`,
      [studyId, seqParam(since)],
    );
    return changes(studyId, since, rows, (row) => toStudyStep(row));
  }

  async addArtifact(trialId: number, artifact: NewArtifact): Promise<ArtifactRecord> {
    try {
      const { rows } = await this.query<ArtifactRow>(
        `INSERT INTO artifacts (trial_id, kind, uri, bytes, created_at) VALUES ($1, $2, $3, $4, ${NOW}) RETURNING *`,
        [trialId, artifact.kind, artifact.uri, artifact.bytes ?? null],
      );
      return toArtifact(rows[0] as ArtifactRow);
    } catch (error) {
      if ((error as { code?: string }).code === '23503') throw new StorageError(`no trial with id ${trialId}`, { cause: error });
      throw error;
    }
  }

  async listArtifacts(trialId: number): Promise<ArtifactRecord[]> {
    const [, { rows }] = await Promise.all([
      this.getTrial(trialId),
      this.query<ArtifactRow>('SELECT * FROM artifacts WHERE trial_id = $1 ORDER BY id', [trialId]),
    ]);
    return rows.map(toArtifact);
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  /**
   * A query on the pool, retried while the connection fails (see retryConnectionFailures; `onRepeat` hears of each
   * repeat). A constraint violation (SQLSTATE class 23) is left for the caller to translate; anything else
   * (connection lost for longer than the retry bound) becomes a one-line StorageError naming the server, not a stack.
   *
   * A statement runs in its own transaction, so one that failed with its connection either committed whole or not
   * at all, and sending it again is safe for every write here: heartbeats, steps, attributes and states set the same
   * values again, a finish recognises its own first try (finishTrial). A creation or claim whose first try
   * committed unacknowledged leaves a running trial nobody heartbeats; it goes stale and is retried like one of a
   * process that died, so nothing is lost, but it costs a trial of the budget; a note's compare-and-set reports a
   * conflict with its own text.
   */
  private async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
    onRepeat?: () => void,
  ): Promise<pg.QueryResult<R>> {
    try {
      return await retryConnectionFailures(this.retry, (previous) => {
        if (previous > 0) onRepeat?.();
        // A named (prepared) statement: each connection parses and plans it once, then only binds and runs it.
        // Planning these CTEs took longer than the round trip itself (bench/RESULTS.md, controller overhead).
        return this.pool.query<R>({ name: statementName(sql), text: sql, ...(params ? { values: params } : {}) });
      });
    } catch (error) {
      throw this.serverError(error);
    }
  }

  /**
   * A transaction on one client (see onOneClient), run again from BEGIN while the connection fails: a transaction
   * whose connection broke before its COMMIT was rolled back by the server, so `body` must only compute what it
   * sends (as the trial builder does) and may see a fresher database the next time.
   */
  private transaction<T>(body: (send: Send, literal: (text: string) => string) => Promise<T>, onRepeat?: () => void): Promise<T> {
    return retryConnectionFailures(this.retry, (previous) => {
      if (previous > 0) onRepeat?.();
      return onOneClient(this.pool, (error) => this.serverError(error), body);
    });
  }

  private serverError(error: unknown): unknown {
    const code = (error as { code?: unknown }).code;
    if (error instanceof StorageError || (typeof code === 'string' && code.startsWith('23'))) return error;
    const message = ((error as Error | undefined)?.message ?? String(error)).split('\n')[0];
    return new StorageError(`PostgreSQL at ${this.url}: ${message}`, { cause: error });
  }

  private async assertStudy(studyId: number): Promise<void> {
    const { rowCount } = await this.query('SELECT 1 FROM studies WHERE id = $1', [studyId]);
    if (!rowCount) throw new StorageError(`no study with id ${studyId}`);
  }

  /** The error for a reservation's write that changed nothing: absent, finished, or not a reservation. */
  private async whyNotReserved(trialId: number): Promise<StorageError> {
    const { rows } = await this.query<{ number: number; state: string }>('SELECT number, state FROM trials WHERE id = $1', [trialId]);
    return this.unfinishedError(trialId, rows[0]) ?? new StorageError(`trial ${rows[0]?.number} is not a reservation`);
  }

  /** The error for a write to a trial that changed nothing: it is absent, or it has finished. */
  private async whyUnchanged(trialId: number): Promise<StorageError> {
    const { rows } = await this.query<{ number: number; state: string }>('SELECT number, state FROM trials WHERE id = $1', [trialId]);
    return this.unfinishedError(trialId, rows[0]) ?? new StorageError(`trial ${trialId} could not be changed`);
  }

  private assertWasUnfinished(trialId: number, row: { number: number; state: string } | undefined): void {
    const error = this.unfinishedError(trialId, row);
    if (error) throw error;
  }

  private unfinishedError(trialId: number, row: { number: number; state: string } | undefined): StorageError | null {
    if (!row) return new StorageError(`no trial with id ${trialId}`);
    if (row.state === 'complete' || row.state === 'pruned' || row.state === 'failed') {
      return new StorageError(`trial ${row.number} is ${row.state}; finished trials cannot change`);
    }
    return null;
  }

  private async setAttr(
    table: 'studies' | 'trials',
    column: 'user_attrs' | 'system_attrs',
    id: number,
    key: string,
    value: unknown,
  ): Promise<void> {
    const what = table === 'studies' ? 'study' : 'trial';
    if (!Number.isSafeInteger(id)) throw new StorageError(`no ${what} with id ${id}`);
    await this.transaction(async (send, literal) => {
      const [, selected] = await send<[unknown, { attrs: string; number: number; state: string; study_id: number }]>(
        `BEGIN; SELECT ${column} AS attrs${table === 'trials' ? ', number, state, study_id' : ''} FROM ${table} WHERE id = ${id} ${table === 'studies' ? 'FOR NO KEY UPDATE' : 'FOR UPDATE'}`,
      );
      const row = selected.rows[0];
      if (!row) throw new StorageError(`no ${what} with id ${id}`);
      if (table === 'trials') this.assertWasUnfinished(id, row);
      // Merged here rather than with jsonb, which would reorder keys (of nested objects too): as SQLite's json_set,
      // a new key goes last, an existing one keeps its place, and the text is what JSON.stringify writes.
      const attrs = JSON.parse(row.attrs) as Record<string, unknown>;
      Object.defineProperty(attrs, key, { value: value ?? null, enumerable: true, writable: true, configurable: true });
      const text = literal(JSON.stringify(attrs));
      // A trial's attribute is a change of the trial (the feed's), numbered after its row lock above; a study's is not.
      await send(
        table === 'trials'
          ? `WITH c AS (${nextSeq(String(row.study_id))})
             UPDATE trials SET ${column} = ${text}, change_seq = (SELECT seq FROM c) WHERE id = ${id}; COMMIT`
          : `UPDATE studies SET ${column} = ${text} WHERE id = ${id}; COMMIT`,
      );
    });
  }
}

/** Whether a finished trial's row holds this end, as finishTrial writes it. */
function isEndOf(row: TrialRow, state: string, values: string | null, reason: string | null): boolean {
  return row.state === state && row.values === values && row.fail_reason === reason;
}

const statementNames = new Map<string, string>();

/** One name per statement text (a hash of it): pg prepares a name once per connection and reuses it after. */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) statementNames.set(sql, (name = `autotune_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`));
  return name;
}

function groupSteps(rows: readonly (StepRow & { trial_id: number })[]): Map<number, StepRecord[]> {
  const out = new Map<number, StepRecord[]>();
  for (const row of rows) {
    const list = out.get(row.trial_id) ?? [];
    list.push(toStep(row));
    out.set(row.trial_id, list);
  }
  return out;
}

type Nullable<T> = { [K in keyof T]: T[K] | null };

interface NoteRow {
  note: string;
  note_version: number;
  note_updated_at: number | null;
}

function toNote(row: NoteRow): StudyNote {
  return { text: row.note, version: row.note_version, updatedAt: row.note_updated_at };
}

/** `since` as a BIGINT parameter: change numbers are integers, so `> since` is `> floor(since)`. */
function seqParam(since: number): number {
  if (Number.isFinite(since)) return Math.floor(since);
  return since > 0 ? Number.MAX_SAFE_INTEGER : -1;
}

/**
 * A feed read's rows (the study's row joined to what changed, in number order) as Changes: no row at all means no
 * study; one row of nulls means nothing changed. The mark is the last row's number, or `since`, as SQLite gives it.
 */
function changes<R extends { change_seq: number }, T>(
  studyId: number,
  since: number,
  rows: readonly Nullable<R>[],
  convert: (row: R) => T,
): Changes<T> {
  if (rows.length === 0) throw new StorageError(`no study with id ${studyId}`);
  const changed = rows.filter((row): row is R => row.change_seq !== null);
  return { items: changed.map(convert), seq: changed.at(-1)?.change_seq ?? since };
}
