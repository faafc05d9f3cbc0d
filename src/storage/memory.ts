import { StorageError } from '../core/errors.js';
import type { ArtifactRecord, Metrics, StepRecord, StudyRecord, StudyState, TrialRecord } from '../core/types.js';
import { FINISHED_STATES } from '../core/types.js';
import { ChangeLog, markAfter } from './change-log.js';
import { pageTrialsFrom, stepsOfFrom, trialPointsFrom } from './read-models.js';
import {
  EMPTY_NOTE,
  emptyCounts,
  isReservation,
  resolveSeed,
  type Changes,
  type NewStudy,
  type NoteSave,
  type NewArtifact,
  type NewTrial,
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
} from './storage.js';
import { importedUri, type StudyImport } from './study-import.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Storage in this process's memory: fast and gone at exit. Its read models (but for the metric names) are the
 * defaults derived from the core (read-models.ts), so the contract suite checks those too. Returned records are
 * copies, so callers cannot change what is stored behind storage's back (the same guarantee a database gives).
 *
 * @example const storage = new MemoryStorage();
 */
export class MemoryStorage implements Storage {
  readonly url = 'memory:';
  private readonly studies = new Map<number, Mutable<StudyRecord>>();
  private readonly trials = new Map<number, Mutable<TrialRecord>>();
  private readonly trialsByStudy = new Map<number, number[]>();
  private readonly steps = new Map<number, Map<number, StepRecord>>();
  private readonly metricNames = new Map<number, Set<string>>();
  private readonly artifacts = new Map<number, ArtifactRecord[]>();
  private readonly notes = new Map<number, StudyNote>();
  private readonly changes = new Map<number, ChangeLog>();
  private nextStudyId = 1;
  private nextTrialId = 1;
  private nextArtifactId = 1;

  async createStudy(input: NewStudy): Promise<StudyRecord> {
    if ([...this.studies.values()].some((s) => s.name === input.name)) {
      throw new StorageError(`a study named "${input.name}" already exists`);
    }
    const study: Mutable<StudyRecord> = {
      id: this.nextStudyId++,
      name: input.name,
      directions: [...input.directions],
      config: structuredClone(input.config),
      state: 'running',
      userAttrs: {},
      systemAttrs: {},
      createdAt: Date.now(),
    };
    this.studies.set(study.id, study);
    this.trialsByStudy.set(study.id, []);
    this.changes.set(study.id, new ChangeLog());
    return structuredClone(study);
  }

  async findStudy(name: string): Promise<StudyRecord | null> {
    const study = [...this.studies.values()].find((s) => s.name === name);
    return study ? structuredClone(study) : null;
  }

  async getStudy(studyId: number): Promise<StudyRecord> {
    return structuredClone(this.study(studyId));
  }

  async listStudies(): Promise<StudySummary[]> {
    return [...this.studies.values()].map((study) => {
      const counts = emptyCounts();
      for (const id of this.trialsByStudy.get(study.id) ?? []) counts[this.trial(id).state]++;
      return { ...structuredClone(study), counts };
    });
  }

  async setStudyState(studyId: number, state: StudyState): Promise<void> {
    this.study(studyId).state = state;
  }

  async setStudyUserAttr(studyId: number, key: string, value: unknown): Promise<void> {
    const study = this.study(studyId);
    study.userAttrs = { ...study.userAttrs, [key]: structuredClone(value) };
  }

  async setStudySystemAttr(studyId: number, key: string, value: unknown): Promise<void> {
    const study = this.study(studyId);
    study.systemAttrs = { ...study.systemAttrs, [key]: structuredClone(value) };
  }

  async getStudyNote(studyId: number): Promise<StudyNote> {
    this.study(studyId);
    return { ...(this.notes.get(studyId) ?? EMPTY_NOTE) };
  }

  async setStudyNote(studyId: number, text: string, expectedVersion: number): Promise<NoteSave> {
    const current = await this.getStudyNote(studyId);
    if (current.version !== expectedVersion) return { saved: false, note: current };
    const note = { text, version: current.version + 1, updatedAt: Date.now() };
    this.notes.set(studyId, note);
    return { saved: true, note: { ...note } };
  }

  async deleteStudy(studyId: number): Promise<void> {
    this.study(studyId);
    this.notes.delete(studyId);
    this.metricNames.delete(studyId);
    for (const id of this.trialsByStudy.get(studyId) ?? []) {
      this.trials.delete(id);
      this.steps.delete(id);
      this.artifacts.delete(id);
    }
    this.trialsByStudy.delete(studyId);
    this.changes.delete(studyId);
    this.studies.delete(studyId);
  }

  async importStudy(input: StudyImport): Promise<StudyRecord> {
    // Checked before anything is written (the whole import or nothing, as in a database's transaction).
    const created = await this.createStudy({ name: input.study.name, directions: input.study.directions, config: input.study.config });
    const study = this.study(created.id);
    Object.assign(study, structuredClone({ ...input.study, id: created.id }));
    if (input.note.version > 0) this.notes.set(study.id, { ...input.note });
    this.metricNames.set(study.id, new Set(input.stepMetrics));
    for (const { trial: t, steps, artifacts } of input.trials) {
      const trial: Mutable<TrialRecord> = { ...structuredClone(t), id: this.nextTrialId++, studyId: study.id };
      this.trials.set(trial.id, trial);
      this.trialsByStudy.get(study.id)?.push(trial.id);
      this.steps.set(trial.id, new Map(steps.map((s) => [s.step, structuredClone(s)])));
      this.artifacts.set(
        trial.id,
        artifacts.map((a) => ({
          id: this.nextArtifactId++,
          trialId: trial.id,
          kind: a.kind,
          uri: importedUri(a, trial.id),
          bytes: a.bytes,
          createdAt: a.createdAt,
        })),
      );
      this.changed(trial);
      for (const s of steps) this.changed(trial, s.step);
    }
    return structuredClone(study);
  }

  async createTrial(studyId: number, input: NewTrial): Promise<TrialRecord> {
    const number = this.numberOfNext(studyId);
    const now = Date.now();
    const running = input.state === 'running' ? now : null;
    const trial = this.insert(studyId, number, {
      state: input.state,
      params: structuredClone(input.params),
      distributions: structuredClone(input.distributions),
      seed: resolveSeed(input.seed, number),
      systemAttrs: structuredClone(input.systemAttrs ?? {}),
      startedAt: running,
      heartbeatAt: running,
    });
    return structuredClone(trial);
  }

  async reserveTrial(studyId: number, options: { readonly maxTrials?: number } = {}): Promise<Reservation | null> {
    const number = this.numberOfNext(studyId);
    if (options.maxTrials !== undefined && this.budgetUsed(studyId) >= options.maxTrials) return null;
    const trial = this.insert(studyId, number, {
      state: 'running',
      params: {},
      distributions: {},
      seed: 0,
      systemAttrs: {},
      startedAt: null,
      heartbeatAt: Date.now(),
    });
    return { id: trial.id, number };
  }

  async startTrial(trialId: number, start: TrialStart): Promise<TrialRecord> {
    const trial = this.reservation(trialId);
    const now = Date.now();
    Object.assign(trial, {
      params: structuredClone(start.params),
      distributions: structuredClone(start.distributions),
      seed: start.seed,
      systemAttrs: structuredClone(start.systemAttrs ?? {}),
      startedAt: now,
      heartbeatAt: now,
    });
    this.changed(trial);
    return structuredClone(trial);
  }

  async withdrawTrial(trialId: number, reason: string): Promise<void> {
    const trial = this.reservation(trialId);
    const ids = this.trialsByStudy.get(trial.studyId) as number[];
    if (ids.at(-1) !== trialId) {
      await this.finishTrial(trialId, { state: 'failed', reason });
      return;
    }
    ids.pop();
    this.trials.delete(trialId);
    this.log(trial.studyId).forget(trialId);
  }

  async countTrials(studyId: number, query: TrialQuery = {}): Promise<number> {
    // Counted in place: the controller asks before every trial, and copying every trial to count them made a
    // 2,000-trial study quadratic.
    const ids = this.trialsByStudy.get(this.study(studyId).id) ?? [];
    if (!query.states) return ids.length;
    let count = 0;
    for (const id of ids) if (query.states.includes(this.trial(id).state)) count++;
    return count;
  }

  async claimWaitingTrial(studyId: number): Promise<TrialRecord | null> {
    for (const id of this.trialsByStudy.get(this.study(studyId).id) ?? []) {
      const trial = this.trial(id);
      if (trial.state !== 'waiting') continue;
      const now = Date.now();
      Object.assign(trial, { state: 'running', startedAt: now, heartbeatAt: now });
      this.changed(trial);
      return structuredClone(trial);
    }
    return null;
  }

  async getTrial(trialId: number): Promise<TrialRecord> {
    return structuredClone(this.trial(trialId));
  }

  async listTrials(studyId: number, query: TrialQuery = {}): Promise<TrialRecord[]> {
    const ids = this.trialsByStudy.get(this.study(studyId).id) ?? [];
    return ids
      .map((id) => this.trial(id))
      .filter((t) => !query.states || query.states.includes(t.state))
      .map((t) => structuredClone(t));
  }

  async recordStep(trialId: number, step: number, metrics: Metrics): Promise<void> {
    const trial = this.unfinished(trialId);
    let steps = this.steps.get(trialId);
    if (!steps) this.steps.set(trialId, (steps = new Map()));
    steps.set(step, { step, metrics: { ...metrics }, recordedAt: Date.now() });
    let names = this.metricNames.get(trial.studyId);
    if (!names) this.metricNames.set(trial.studyId, (names = new Set()));
    for (const key of Object.keys(metrics)) names.add(key);
    trial.lastStep = Math.max(trial.lastStep ?? step, step);
    this.changed(trial, step);
  }

  async listSteps(trialId: number): Promise<StepRecord[]> {
    this.trial(trialId);
    const steps = [...(this.steps.get(trialId)?.values() ?? [])];
    return steps.sort((a, b) => a.step - b.step).map((s) => structuredClone(s));
  }

  listStepsOf(studyId: number, trialIds: readonly number[]): Promise<Map<number, StepRecord[]>> {
    return stepsOfFrom(this, studyId, trialIds);
  }

  /** Kept rather than derived: the names table remembers a replaced step's names, as SQLite's and PostgreSQL's do. */
  async listStepMetrics(studyId: number): Promise<string[]> {
    return [...(this.metricNames.get(this.study(studyId).id) ?? [])].sort();
  }

  pageTrials(studyId: number, query: TrialPageQuery): Promise<TrialPage> {
    return pageTrialsFrom(this, studyId, query);
  }

  listTrialPoints(studyId: number, query: TrialPointQuery = {}): Promise<TrialPoint[]> {
    return trialPointsFrom(this, studyId, query);
  }

  async finishTrial(trialId: number, end: TrialEnd): Promise<TrialRecord> {
    const trial = this.unfinished(trialId);
    Object.assign(trial, {
      state: end.state,
      values: end.state === 'failed' ? null : end.values ? [...end.values] : null,
      metrics: { ...(end.metrics ?? {}) },
      backend: end.backend ?? trial.backend,
      failReason: end.state === 'failed' ? end.reason : end.state === 'pruned' ? (end.reason ?? null) : null,
      systemAttrs: { ...trial.systemAttrs, ...structuredClone(end.systemAttrs ?? {}) },
      finishedAt: Date.now(),
    });
    for (const artifact of end.artifacts ?? []) this.storeArtifact(trialId, artifact);
    this.changed(trial);
    return structuredClone(trial);
  }

  async setTrialUserAttr(trialId: number, key: string, value: unknown): Promise<void> {
    const trial = this.unfinished(trialId);
    trial.userAttrs = { ...trial.userAttrs, [key]: structuredClone(value) };
    this.changed(trial);
  }

  async setTrialSystemAttr(trialId: number, key: string, value: unknown): Promise<void> {
    const trial = this.unfinished(trialId);
    trial.systemAttrs = { ...trial.systemAttrs, [key]: structuredClone(value) };
    this.changed(trial);
  }

  async heartbeat(trialId: number): Promise<void> {
    this.unfinished(trialId).heartbeatAt = Date.now();
  }

  async failStaleTrials(studyId: number, olderThanMs: number, reason: string): Promise<TrialRecord[]> {
    const cutoff = Date.now() - olderThanMs;
    const stale = (await this.listTrials(studyId, { states: ['running'] })).filter((t) => (t.heartbeatAt ?? 0) <= cutoff);
    return Promise.all(stale.map((t) => this.finishTrial(t.id, { state: 'failed', reason })));
  }

  async listTrialsChangedSince(studyId: number, since: number): Promise<Changes<TrialRecord>> {
    const changed = this.log(studyId).trialsSince(since);
    return { items: changed.map((e) => structuredClone(this.trial(e.trialId))), seq: markAfter(changed, since) };
  }

  async listStepsSince(studyId: number, since: number): Promise<Changes<StudyStep>> {
    const changed = this.log(studyId).stepsSince(since);
    const items = changed.map(({ trialId, step }): StudyStep => {
      const record = this.steps.get(trialId)?.get(step) as StepRecord;
      return { ...structuredClone(record), trialId, trialNumber: this.trial(trialId).number };
    });
    return { items, seq: markAfter(changed, since) };
  }

  async addArtifact(trialId: number, artifact: NewArtifact): Promise<ArtifactRecord> {
    this.trial(trialId);
    return { ...this.storeArtifact(trialId, artifact) };
  }

  async listArtifacts(trialId: number): Promise<ArtifactRecord[]> {
    this.trial(trialId);
    return (this.artifacts.get(trialId) ?? []).map((a) => ({ ...a }));
  }

  async close(): Promise<void> {}

  private log(studyId: number): ChangeLog {
    return this.changes.get(this.study(studyId).id) as ChangeLog;
  }

  /** Gives a write to `trial` (and the step it recorded, if any) its study's next change sequence number. */
  private changed(trial: TrialRecord, step?: number): void {
    this.log(trial.studyId).record(trial.id, step);
  }

  /** The number the study's next trial gets: dense, one past the last. */
  private numberOfNext(studyId: number): number {
    return (this.trialsByStudy.get(this.study(studyId).id) ?? []).length;
  }

  /** Trials counted against a budget: all but reservations that ended without being started (see reserveTrial). */
  private budgetUsed(studyId: number): number {
    let used = 0;
    for (const id of this.trialsByStudy.get(studyId) ?? []) {
      const trial = this.trial(id);
      if (!(FINISHED_STATES.includes(trial.state) && isReservation(trial))) used++;
    }
    return used;
  }

  /** Stores a new trial numbered `number`, with what differs between a created trial and a reservation. */
  private insert(
    studyId: number,
    number: number,
    input: Pick<TrialRecord, 'state' | 'params' | 'distributions' | 'seed' | 'systemAttrs' | 'startedAt' | 'heartbeatAt'>,
  ): Mutable<TrialRecord> {
    const trial: Mutable<TrialRecord> = {
      id: this.nextTrialId++,
      studyId,
      number,
      values: null,
      metrics: {},
      backend: null,
      failReason: null,
      lastStep: null,
      userAttrs: {},
      createdAt: Date.now(),
      finishedAt: null,
      ...input,
    };
    this.trials.set(trial.id, trial);
    this.trialsByStudy.get(studyId)?.push(trial.id);
    this.changed(trial);
    return trial;
  }

  private storeArtifact(trialId: number, artifact: NewArtifact): ArtifactRecord {
    const record: ArtifactRecord = {
      id: this.nextArtifactId++,
      trialId,
      kind: artifact.kind,
      uri: artifact.uri,
      bytes: artifact.bytes ?? null,
      createdAt: Date.now(),
    };
    const list = this.artifacts.get(trialId) ?? [];
    list.push(record);
    this.artifacts.set(trialId, list);
    return record;
  }

  /** A trial reserved and not yet started (see isReservation), or a StorageError saying what it is instead. */
  private reservation(trialId: number): Mutable<TrialRecord> {
    const trial = this.unfinished(trialId);
    if (trial.state !== 'running' || !isReservation(trial)) throw new StorageError(`trial ${trial.number} is not a reservation`);
    return trial;
  }

  private study(studyId: number): Mutable<StudyRecord> {
    const study = this.studies.get(studyId);
    if (!study) throw new StorageError(`no study with id ${studyId}`);
    return study;
  }

  private trial(trialId: number): Mutable<TrialRecord> {
    const trial = this.trials.get(trialId);
    if (!trial) throw new StorageError(`no trial with id ${trialId}`);
    return trial;
  }

  private unfinished(trialId: number): Mutable<TrialRecord> {
    const trial = this.trial(trialId);
    if (FINISHED_STATES.includes(trial.state)) {
      throw new StorageError(`trial ${trial.number} is ${trial.state}; finished trials cannot change`);
    }
    return trial;
  }
}
