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

/** How a trial ends. Finished trials are immutable afterwards. */
export type TrialEnd =
  | { readonly state: 'complete'; readonly values: readonly number[]; readonly metrics?: Metrics; readonly backend?: string | null }
  | { readonly state: 'pruned'; readonly values?: readonly number[] | null; readonly metrics?: Metrics; readonly backend?: string | null; readonly reason?: string }
  | { readonly state: 'failed'; readonly reason: string; readonly metrics?: Metrics; readonly backend?: string | null };

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

/** A study's free-text note; `version` counts saves, so two people editing at once cannot overwrite each other unseen. */
export interface StudyNote {
  readonly text: string;
  /** 0 before the first save. */
  readonly version: number;
  /** When it was last saved (ms), or null before the first save. */
  readonly updatedAt: number | null;
}

/** What `setStudyNote` did: `saved` is false when the stored version was not the expected one (nothing written). */
export interface NoteSave {
  readonly saved: boolean;
  /** The stored note after the call: the new one when saved, the one that was in the way when not. */
  readonly note: StudyNote;
}

/**
 * What changed in a study after a change sequence number (see {@link Storage.listTrialsChangedSince}): the changed
 * items and `seq`, the high-water mark to pass next time — the last listed item's number, or `since` when none.
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
 * Where studies live. Asynchronous so that a networked database (PostgreSQL, claiming with
 * `FOR UPDATE SKIP LOCKED`) can implement it; SQLite is the embedded default and memory serves tests.
 * One contract suite (`test/contracts/storage.test.ts`) runs against every implementation.
 *
 * @example const storage = await openStorage('sqlite:./autotune.db'); const study = await storage.createStudy({ ... });
 */
export interface Storage {
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
   * Creates the study's next trial from `build(number)`, called inside the transaction that assigns the number, so
   * that what is derived from the number (the sampler's stream, a grid point, a bracket) is that of the trial
   * stored, even with other processes creating trials at the same time. Returns null, writing nothing, when the
   * study already has `maxTrials` trials (in any state) or `build` returns null. `build` must be synchronous and quick:
   * other writers wait for it.
   */
  createNextTrial(
    studyId: number,
    build: (trialNumber: number) => NewTrial | null,
    options?: { readonly maxTrials?: number },
  ): Promise<TrialRecord | null>;
  /** How many trials the study has (in the given states), without reading them. */
  countTrials(studyId: number, query?: TrialQuery): Promise<number>;
  /** Moves the oldest waiting trial to running and returns it, or null; two callers never get the same trial. */
  claimWaitingTrial(studyId: number): Promise<TrialRecord | null>;
  getTrial(trialId: number): Promise<TrialRecord>;
  listTrials(studyId: number, query?: TrialQuery): Promise<TrialRecord[]>;
  /** Records the metrics of one step (epoch); a repeated step replaces the earlier report. */
  recordStep(trialId: number, step: number, metrics: Metrics): Promise<void>;
  listSteps(trialId: number): Promise<StepRecord[]>;
  /** The steps of some trials of a study (a chart's worth, not thousands), keyed by trial id; other ids are ignored. */
  listStepsOf(studyId: number, trialIds: readonly number[]): Promise<Map<number, StepRecord[]>>;
  /** The metric names ever reported in a step of the study (a replaced step's too), sorted. */
  listStepMetrics(studyId: number): Promise<string[]>;
  /** A page of trials sorted and filtered in storage, so large studies are not read whole for one table page. */
  pageTrials(studyId: number, query: TrialPageQuery): Promise<TrialPage>;
  /** Every trial of a study (optionally filtered) as chart points, in number order. */
  listTrialPoints(studyId: number, query?: TrialPointQuery): Promise<TrialPoint[]>;
  /** Ends a running trial. Throws a StorageError if it has already finished. */
  finishTrial(trialId: number, end: TrialEnd): Promise<TrialRecord>;
  setTrialUserAttr(trialId: number, key: string, value: unknown): Promise<void>;
  setTrialSystemAttr(trialId: number, key: string, value: unknown): Promise<void>;
  heartbeat(trialId: number): Promise<void>;
  /** Fails every running trial of the study whose heartbeat is older than `olderThanMs` (or absent); returns them. */
  failStaleTrials(studyId: number, olderThanMs: number, reason: string): Promise<TrialRecord[]>;

  /*
   * The change feed, which keeps the controllers of every process sharing a study in step with storage. Every write
   * that changes a trial (created, claimed, a step, an attribute, finished, failed as stale) or records a step takes
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

  addArtifact(trialId: number, artifact: { kind: string; uri: string; bytes?: number | null }): Promise<ArtifactRecord>;
  listArtifacts(trialId: number): Promise<ArtifactRecord[]>;
  /**
   * Trial artifact files kept in the database, where machines share the database and no disk (PostgreSQL); absent
   * where artifacts live on a file system beside the database (SQLite, memory). See src/artifacts/store.ts.
   */
  readonly files?: TrialFiles;

  close(): Promise<void>;
}

export const TRIAL_STATES: readonly TrialState[] = ['waiting', 'running', 'complete', 'pruned', 'failed'];

/** The note of a study nobody has written one for. */
export const EMPTY_NOTE: StudyNote = { text: '', version: 0, updatedAt: null };

/** Zero counts for every state, to fill in. */
export function emptyCounts(): Record<TrialState, number> {
  return { waiting: 0, running: 0, complete: 0, pruned: 0, failed: 0 };
}

/** The seed of a new trial, given its number. */
export function resolveSeed(seed: NewTrial['seed'], trialNumber: number): number {
  return typeof seed === 'function' ? seed(trialNumber) : seed;
}

/** When a trial last changed as far as storage tells: created, started, reported (heartbeat) or finished. */
export function trialChangedAt(t: TrialRecord): number {
  return Math.max(t.createdAt, t.startedAt ?? 0, t.heartbeatAt ?? 0, t.finishedAt ?? 0);
}

/** The first objective value when finite, else null: what `sort: 'value'` orders by. */
export function firstValue(values: readonly number[] | null): number | null {
  const value = values?.[0];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** What a page can be sorted by: numbers before text; null (the trial has none) sorts last in either order. */
export type SortKey = number | string | boolean | null;

function compareKeys(a: number | string | boolean, b: number | string | boolean): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return String(a).localeCompare(String(b));
}

/**
 * A page of the trials `keep` accepts, sorted by `key` (ties by number), in memory. `changedAt` is over all of
 * `all`, filtered or not, as `pageTrials` promises.
 */
export function pageBy(
  all: readonly TrialRecord[],
  keep: (t: TrialRecord) => boolean,
  key: (t: TrialRecord) => SortKey,
  page: Pick<TrialPageQuery, 'order' | 'offset' | 'limit'>,
): TrialPage {
  const sign = page.order === 'asc' ? 1 : -1;
  const keyed = all.filter(keep).map((t) => ({ t, k: key(t) }));
  keyed.sort((a, b) => {
    if (a.k === null || b.k === null) return a.k === b.k ? a.t.number - b.t.number : a.k === null ? 1 : -1;
    return sign * compareKeys(a.k, b.k) || a.t.number - b.t.number;
  });
  return {
    total: keyed.length,
    changedAt: all.reduce((m, t) => Math.max(m, trialChangedAt(t)), 0),
    trials: keyed.slice(page.offset, page.offset + page.limit).map(({ t }) => t),
  };
}

/** `pageTrials` in memory, for implementations without a query language. */
export function pageOf(all: readonly TrialRecord[], query: TrialPageQuery): TrialPage {
  return pageBy(
    all,
    (t) => !query.states || query.states.includes(t.state),
    (t) => (query.sort === 'number' ? t.number : firstValue(t.values)),
    query,
  );
}
