import { rankableValue } from '../core/rank.js';
import type {
  ArtifactRecord,
  Direction,
  Distribution,
  FlatParams,
  Metrics,
  StepRecord,
  StudyRecord,
  StudyState,
  TrialRecord,
  TrialState,
} from '../core/types.js';
import type { TrialFiles } from './trial-files.js';
import type { StudyImport } from './study-import.js';
import type { NoteSave, StudyNote } from './study-note.js';

// Kept here, the storage contract's home, for callers; defined apart so study-import.ts need not import this file.
export { EMPTY_NOTE, type NoteSave, type StudyNote } from './study-note.js';

/** What a new study is created with. */
export interface NewStudy {
  readonly name: string;
  readonly directions: readonly Direction[];
  readonly config: unknown;
}

/** What a new trial is created with; storage assigns `id` and the next dense `number`. */
export interface NewTrial {
  readonly state: Extract<TrialState, 'waiting' | 'running'>;
  readonly params: FlatParams;
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** The trial's seed; may be derived from the number (see `seedFor`), so it can be given as a function. */
  readonly seed: number | ((trialNumber: number) => number);
  readonly systemAttrs?: Readonly<Record<string, unknown>>;
}

/** An artifact record to store with a trial (a file or directory it wrote, referenced by URI). */
export interface NewArtifact {
  readonly kind: string;
  readonly uri: string;
  readonly bytes?: number | null;
}

/** What every finish may carry besides its outcome, written in the same transaction as the state. */
interface FinishExtras {
  readonly metrics?: Metrics;
  readonly backend?: string | null;
  /** Merged into the trial's system attributes: a new key goes last, an existing one is replaced in its place. */
  readonly systemAttrs?: Readonly<Record<string, unknown>>;
  readonly artifacts?: readonly NewArtifact[];
}

/** How a trial ends. Finished trials are immutable afterwards. */
export type TrialEnd =
  | ({ readonly state: 'complete'; readonly values: readonly number[] } & FinishExtras)
  | ({ readonly state: 'pruned'; readonly values?: readonly number[] | null; readonly reason?: string } & FinishExtras)
  | ({ readonly state: 'failed'; readonly reason: string } & FinishExtras);

/** A trial number taken by {@link Storage.reserveTrial}: the trial exists, running, but has no parameters yet. */
export interface Reservation {
  readonly id: number;
  readonly number: number;
}

/** What {@link Storage.startTrial} writes into a reservation: everything sampled for its number. */
export interface TrialStart {
  readonly params: FlatParams;
  readonly distributions: Readonly<Record<string, Distribution>>;
  readonly seed: number;
  readonly systemAttrs?: Readonly<Record<string, unknown>>;
}

/** Why a reservation is withdrawn when the sampler has nothing new for it (see withdrawTrial). */
export const NOTHING_LEFT = 'nothing left to sample';

/** Filter for listing trials. */
export interface TrialQuery {
  readonly states?: readonly TrialState[];
}

/** A sorted, filtered page of a study's trials. */
export interface TrialPageQuery extends TrialQuery {
  /** `value`: the first objective value when finite; trials without one come last in either order. Ties: by number. */
  readonly sort: 'number' | 'value';
  readonly order: 'asc' | 'desc';
  readonly offset: number;
  readonly limit: number;
}

export interface TrialPage {
  /** Trials matching the filter. */
  readonly total: number;
  /** The newest change (created, started, heartbeat or finished, ms) among all the study's trials; 0 without trials. */
  readonly changedAt: number;
  readonly trials: TrialRecord[];
}

export interface TrialPointQuery extends TrialQuery {
  /** Read params and distributions; without it they are empty objects, which saves parsing them for every trial. */
  readonly params?: boolean;
}

/** What charts over a whole study read of each trial: cheaper than TrialRecord (no attributes, no timings). */
export interface TrialPoint {
  readonly id: number;
  readonly number: number;
  readonly state: TrialState;
  readonly values: readonly number[] | null;
  readonly params: FlatParams;
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** How many steps (epochs) the trial has reported. */
  readonly steps: number;
}

/**
 * What changed in a study after a change sequence number (see {@link StorageCore.listTrialsChangedSince}): the
 * changed items and `seq`, the high-water mark to pass next time — the last listed item's number, or `since` when
 * none.
 */
export interface Changes<T> {
  readonly items: T[];
  readonly seq: number;
}

/** A step as the change feed returns it: which trial (id and number) reported it. */
export interface StudyStep extends StepRecord {
  readonly trialId: number;
  readonly trialNumber: number;
}

/** A study with its trial counts, for listings. */
export interface StudySummary extends StudyRecord {
  readonly counts: Readonly<Record<TrialState, number>>;
}

/**
 * What every backend implements: studies, trials, steps, attributes, artifact records, claims, heartbeats and the
 * change feed. Asynchronous so that a networked database (PostgreSQL, claiming with `FOR UPDATE SKIP LOCKED`) can
 * implement it; SQLite is the embedded default and memory serves tests. One contract suite
 * (`test/contracts/storage.test.ts`) runs against every implementation. The dashboard's read models are a second
 * interface ({@link ReadModels}) with defaults derived from this one (see read-models.ts).
 *
 * Consistency model, which every implementation keeps and callers may rely on:
 * - **Each write method is atomic**: it commits whole or not at all, and no reader sees it half done. That holds
 *   for what one call does (a new trial's number, budget check and row; a step with the trial's progress, heartbeat
 *   and metric names; a finish with state, values, metrics and reason; every stale trial `failStaleTrials` fails; a
 *   deleted study with all it holds), not across calls: attributes set and then a finish can be seen in between.
 * - **Reads see committed writes only, each record whole**, and once a write's promise has resolved every later
 *   read, from any connection or process, sees it (one primary database, no replicas). The records one call lists
 *   come from one moment; a figure beside them (a study list's counts, a page's total) may be a moment newer. Two
 *   calls are two moments: a trial listed as running may have finished by the time its steps are read.
 * - **A running trial is owned** by the process that created it running or claimed it: only that process records
 *   its steps, attributes and heartbeats and finishes it (a rule for callers: storage does not ask who writes,
 *   it only refuses writes to finished trials). Ownership ends when it finishes, or when another process
 *   reaps it with `failStaleTrials` because its heartbeat is older than the cutoff (measured by the database's clock
 *   on PostgreSQL, so machines with skewed clocks agree; by the one machine's clock on SQLite). The old owner then
 *   learns it lost the trial from its next write, which throws a StorageError, as every write to a finished trial
 *   does: finished trials never change.
 * - **Changes are ordered**: see the change feed below.
 *
 * @example const storage = await openStorage('sqlite:./autotune.db'); const study = await storage.createStudy({ ... });
 */
export interface StorageCore {
  /** A URL-ish description, e.g. `sqlite:/abs/path.db` or `memory:`. */
  readonly url: string;

  /** Creates a study; throws a StorageError when the name is taken. */
  createStudy(input: NewStudy): Promise<StudyRecord>;
  findStudy(name: string): Promise<StudyRecord | null>;
  getStudy(studyId: number): Promise<StudyRecord>;
  listStudies(): Promise<StudySummary[]>;
  setStudyState(studyId: number, state: StudyState): Promise<void>;
  setStudyUserAttr(studyId: number, key: string, value: unknown): Promise<void>;
  setStudySystemAttr(studyId: number, key: string, value: unknown): Promise<void>;
  getStudyNote(studyId: number): Promise<StudyNote>;
  /** Replaces the note if its stored version is still `expectedVersion` (compare-and-set); throws if the study is absent. */
  setStudyNote(studyId: number, text: string, expectedVersion: number): Promise<NoteSave>;
  /** Removes a study with its trials, steps and artifact records (not the artifact files); throws if absent. */
  deleteStudy(studyId: number): Promise<void>;
  /**
   * Writes a whole study read from another storage (`autotune copy`), in one transaction: all of it or nothing.
   * Every record keeps its numbers, states, times and attributes; everything imported counts as one change of the
   * study's feed. Throws a StorageError when the name is taken.
   */
  importStudy(input: StudyImport): Promise<StudyRecord>;

  /** Creates a trial with the next dense number of its study, atomically. */
  createTrial(studyId: number, input: NewTrial): Promise<TrialRecord>;
  /**
   * Takes the study's next dense number for a trial about to be sampled, in a short transaction that samples
   * nothing: null, writing nothing, when the study already has `maxTrials` trials (in any state, so processes
   * sharing a study share its budget), not counting reservations that ended without being started (reaped or
   * withdrawn): a number that ran nothing uses none of the budget. The trial is stored running, with a heartbeat
   * (so a process that dies before starting it has it reaped as stale like any running trial) but no start time
   * and no parameters: a reservation (see {@link isReservation}). Its owner samples from a fresh read with the
   * number's stream, outside any transaction, then calls `startTrial`, or `withdrawTrial` when the sampler has
   * nothing left.
   */
  reserveTrial(studyId: number, options?: { readonly maxTrials?: number }): Promise<Reservation | null>;
  /**
   * Writes a reservation's params, distributions, seed and system attributes and its start time (the heartbeat
   * too), in one transaction: from then on it is an ordinary running trial. Throws a StorageError, writing nothing,
   * when the trial is not a reservation any more (reaped as stale meanwhile).
   */
  startTrial(trialId: number, start: TrialStart): Promise<TrialRecord>;
  /**
   * Gives back a reservation that will not be started (the sampler found nothing, or failed), atomically: deleted
   * when no later trial exists (the next reservation takes the number again, so numbers stay dense and an exhausted
   * space leaves no trace), else failed with `reason` (e.g. {@link NOTHING_LEFT}), keeping the numbers after it
   * dense. Throws a StorageError when the trial is not a reservation.
   */
  withdrawTrial(trialId: number, reason: string): Promise<void>;
  /** How many trials the study has (in the given states), without reading them. */
  countTrials(studyId: number, query?: TrialQuery): Promise<number>;
  /** Moves the oldest waiting trial to running and returns it, or null; two callers never get the same trial. */
  claimWaitingTrial(studyId: number): Promise<TrialRecord | null>;
  getTrial(trialId: number): Promise<TrialRecord>;
  listTrials(studyId: number, query?: TrialQuery): Promise<TrialRecord[]>;
  /** Records the metrics of one step (epoch); a repeated step replaces the earlier report. */
  recordStep(trialId: number, step: number, metrics: Metrics): Promise<void>;
  /** The trial's steps, in step order, each as last reported. */
  listSteps(trialId: number): Promise<StepRecord[]>;
  /**
   * Ends a running trial with everything its end records — state, values, metrics, backend, reason, system
   * attributes merged in, artifact records — in one transaction: a crash leaves the trial either running or fully
   * finished. Throws a StorageError, writing none of it, if the trial has already finished (or is absent).
   */
  finishTrial(trialId: number, end: TrialEnd): Promise<TrialRecord>;
  setTrialUserAttr(trialId: number, key: string, value: unknown): Promise<void>;
  setTrialSystemAttr(trialId: number, key: string, value: unknown): Promise<void>;
  /**
   * Moves a running (or waiting) trial's heartbeat time to now: the owner's "still alive", which keeps
   * `failStaleTrials` from reaping it. Not a change of the feed. Throws a StorageError if it has finished.
   */
  heartbeat(trialId: number): Promise<void>;
  /** Fails every running trial of the study whose heartbeat is older than `olderThanMs` (or absent); returns them. */
  failStaleTrials(studyId: number, olderThanMs: number, reason: string): Promise<TrialRecord[]>;

  /*
   * The change feed, which keeps the controllers of every process sharing a study in step with storage. Every write
   * that changes a trial (created, reserved, started, claimed, a step, an attribute, finished, failed as stale,
   * withdrawn) or records a step takes
   * the study's next change sequence number, in the same transaction, and stores it on the trial row and the step
   * row. A heartbeat alone is not a change: it moves only the liveness time, and counting it would have every
   * process re-read every running trial every few seconds. Changes must become visible in number order (a reader
   * that sees number k sees every change before it), or a mark could pass a change not yet committed: SQLite's
   * write lock gives this; a server database gets it by taking the counter row's lock in the write's transaction.
   * A counter, a column and a range query: plain SQL for any database.
   */
  /** The trials whose latest change is after `since` (0: every trial), in change order. */
  listTrialsChangedSince(studyId: number, since: number): Promise<Changes<TrialRecord>>;
  /** The steps recorded (or replaced) after `since` (0: every step), in change order. */
  listStepsSince(studyId: number, since: number): Promise<Changes<StudyStep>>;

  addArtifact(trialId: number, artifact: NewArtifact): Promise<ArtifactRecord>;
  listArtifacts(trialId: number): Promise<ArtifactRecord[]>;
  /**
   * Trial artifact files kept in the database, where machines share the database and no disk (PostgreSQL); absent
   * where artifacts live on a file system beside the database (SQLite, memory). See src/artifacts/store.ts.
   */
  readonly files?: TrialFiles;

  close(): Promise<void>;
}

/**
 * What the dashboard's views read: pages, chart points and step metrics of a whole study, each one cheap query in
 * SQL. read-models.ts derives every one from a {@link StorageCore} (memory uses those); SQLite and PostgreSQL
 * override them with SQL, and the contract suite checks both give the same answers on the same data. They read as
 * the core does (committed writes only; a count beside the records may be a moment newer).
 */
export interface ReadModels {
  /** The steps of some trials of a study (a chart's worth, not thousands), keyed by trial id; other ids are ignored. */
  listStepsOf(studyId: number, trialIds: readonly number[]): Promise<Map<number, StepRecord[]>>;
  /**
   * The metric names reported in a step of the study, sorted. Backends that keep a table of names (all three do)
   * also list a name only a since-replaced step had; the default derived from the core sees the steps as stored.
   */
  listStepMetrics(studyId: number): Promise<string[]>;
  /** A page of trials sorted and filtered in storage, so large studies are not read whole for one table page. */
  pageTrials(studyId: number, query: TrialPageQuery): Promise<TrialPage>;
  /** Every trial of a study (optionally filtered) as chart points, in number order. */
  listTrialPoints(studyId: number, query?: TrialPointQuery): Promise<TrialPoint[]>;
}

/** Where studies live: the core contract and the read models over it. Callers take this; backends implement it. */
export type Storage = StorageCore & ReadModels;

export const TRIAL_STATES: readonly TrialState[] = ['waiting', 'running', 'complete', 'pruned', 'failed'];

/** SQL for "this row is a reservation that ended without being started" (see isReservation): budgets skip it. */
export const ENDED_UNSTARTED_SQL = "(state IN ('complete', 'pruned', 'failed') AND started_at IS NULL AND heartbeat_at IS NOT NULL)";

/** Zero counts for every state, to fill in. */
export function emptyCounts(): Record<TrialState, number> {
  return { waiting: 0, running: 0, complete: 0, pruned: 0, failed: 0 };
}

/**
 * True for a trial taken by `reserveTrial` and never started: it has a heartbeat (reservations are reaped like
 * running trials) but no start time, and no parameters. Waiting trials have neither until claimed, and claiming or
 * starting sets both. A reservation reaped as stale stays one (failed, without parameters): there is nothing to
 * retry or learn from.
 */
export function isReservation(trial: Pick<TrialRecord, 'state' | 'startedAt' | 'heartbeatAt'>): boolean {
  return trial.state !== 'waiting' && trial.startedAt === null && trial.heartbeatAt !== null;
}

/** The seed of a new trial, given its number. */
export function resolveSeed(seed: NewTrial['seed'], trialNumber: number): number {
  return typeof seed === 'function' ? seed(trialNumber) : seed;
}

/** When a trial last changed as far as storage tells: created, started, reported (heartbeat) or finished. */
export function trialChangedAt(t: TrialRecord): number {
  return Math.max(t.createdAt, t.startedAt ?? 0, t.heartbeatAt ?? 0, t.finishedAt ?? 0);
}

/** The first objective value when rankable (`core/rank.ts`: finite), else null: what `sort: 'value'` orders by. */
export function firstValue(values: readonly number[] | null): number | null {
  return rankableValue({ values });
}
