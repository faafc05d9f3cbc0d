import type { ArtifactStore, StoredArtifact } from '../artifacts/store.js';
import { writeStoreFor } from '../artifacts/stores.js';
import { baselineOf, bracketOf, isBaseline, maxStepOf, retryOf, type TrialAnnotations } from '../core/annotations.js';
import { InputError, StorageError } from '../core/errors.js';
import { isBetter, rankCompleted } from '../core/rank.js';
import { forkSeed, Rng } from '../core/rng.js';
import type { Direction, Distribution, Metrics, Params, StudyRecord, TrialRecord } from '../core/types.js';
import { createSampler } from '../samplers/create.js';
import { suggestDistinct } from '../samplers/distinct.js';
import type { Sampler } from '../samplers/sampler.js';
import { createScheduler } from '../schedulers/create.js';
import type { Decision, Scheduler, SchedulerContext } from '../schedulers/scheduler.js';
import { allNodes, type CompiledSpace } from '../space/compile.js';
import { activeOnly, nestParams } from '../space/params.js';
import { compileStudySpace } from '../space/trainer-activity.js';
import type { StudyConfig } from '../space/schema.js';
import { isReservation, NOTHING_LEFT, type Storage, type TrialEnd, type TrialStart } from '../storage/storage.js';
import { finalTrainingStep } from '../training/final-step.js';
import type { TrialOutcome } from '../training/protocol.js';
import { enqueueBaselines } from './baselines.js';
import { definitionOf, jsonChanges, summarizeChanges } from './definition.js';
import { StudyEvents } from './events.js';
import { StudyView } from './view.js';

/** A trial handed out by {@link Study.ask}: its record plus the nested params an objective reads. */
export interface AskedTrial {
  readonly trial: TrialRecord;
  readonly params: Params;
}

/** The last step a trial with these params can report, when it is known before the trial runs. */
export type FinalStep = (params: Params) => number | undefined;
/** A study opened again: trials it already had, and this run's `search` settings (which apply) against the first run's. */
export interface ResumedStudy {
  /** Its searched trials (baselines are outside the budget, so outside this count too). */
  readonly trials: number;
  /** `search.trials: 20 → 40` lines, empty when the search block is unchanged. */
  readonly searchChanges: readonly string[];
}

/** What `tell` accepts: a value, or a runner outcome. */
export type TellInput = number | TrialOutcome;

/**
 * One search: the definition, its trials in storage, the sampler and the scheduler. The ask/tell API works
 * without the search loop; the loop (`runSearch`) is built on it. Only this object writes the study's trials.
 *
 * @example
 * const study = await Study.open(storage, config);
 * const { trial, params } = (await study.ask())!;
 * await study.tell(trial, objective(params));
 */
export class Study {
  readonly events = new StudyEvents();
  readonly space: CompiledSpace;
  readonly directions: readonly Direction[];
  // The trials and steps as storage has them, whichever process wrote them (see StudyView).
  private readonly view: StudyView;
  private readonly distributions: Readonly<Record<string, Distribution>>;
  // Why the scheduler stopped each trial it stopped, by trial id, until the trial is told: the runner passes on
  // only "stop", and the reason (which rule, at which rung or median) is what the pruned trial stores.
  private readonly stopReasons = new Map<number, string>();
  /** Where a completed trial's artifact files are made durable before the trial is finished. */
  artifacts: ArtifactStore;
  /** Set when the study already existed: what it held, and how this run's search settings differ from its first. */
  resumed: ResumedStudy | null = null;

  private constructor(
    readonly storage: Storage,
    readonly record: StudyRecord,
    readonly config: StudyConfig,
    readonly sampler: Sampler,
    readonly scheduler: Scheduler,
    private readonly finalStep: FinalStep | undefined,
  ) {
    this.space = compileStudySpace(config);
    this.directions = [config.objective.direction];
    this.distributions = Object.fromEntries(allNodes(this.space).map((n) => [n.path, n.distribution]));
    this.view = new StudyView(storage, record.id, (metrics) => this.objectiveValue(metrics), config.objective.direction);
    this.artifacts = writeStoreFor(storage);
  }

  /**
   * Opens the study named in `config`, creating it if new. An existing study continues where it stopped; its
   * definition (space, objective, data, training) must be unchanged, and trials left running by a process that
   * died are marked failed. `finalStep` tells schedulers each new trial's last step (stored as its `max_step`);
   * a study that trains models knows it from the params (a ridge fit reports one step, a network its epochs).
   */
  static async open(
    storage: Storage,
    config: StudyConfig,
    options: { sampler?: Sampler; scheduler?: Scheduler; finalStep?: FinalStep; artifacts?: ArtifactStore } = {},
  ): Promise<Study> {
    // Built before anything is written: either may refuse a setting (a grid over too many points).
    const space = compileStudySpace(config);
    const sampler = options.sampler ?? createSampler(config.search, space);
    const scheduler = options.scheduler ?? createScheduler(config.search, config.training);
    let record = await storage.findStudy(config.name);
    let earlier: { readonly trials: number; readonly searchChanges: readonly string[] } | null = null;
    let created = false;
    if (record) {
      const storedConfig = record.config as StudyConfig;
      const changes = jsonChanges(definitionOf(storedConfig), definitionOf(config));
      if (changes.length > 0) {
        throw new InputError(
          `a study named "${config.name}" already exists in ${storage.url} with a different definition (${summarizeChanges(changes)}); ` +
            'give this one another name, or restore the original',
        );
      }
      earlier = {
        trials: await storage.countTrials(record.id),
        searchChanges: jsonChanges(storedConfig.search ?? {}, config.search, 'search'),
      };
      await reapStale(storage, record.id, config.search.staleAfterSeconds);
      if (record.state !== 'running') await storage.setStudyState(record.id, 'running');
    } else {
      try {
        record = await storage.createStudy({ name: config.name, directions: [config.objective.direction], config });
        created = true;
      } catch (error) {
        // Another process created it between our find and create: open theirs.
        if (!(error instanceof StorageError)) throw error;
        const raced = await storage.findStudy(config.name);
        if (!raced) throw error;
        record = raced;
      }
    }
    const training = config.training;
    const finalStep = options.finalStep ?? (config.data ? (params: Params) => finalTrainingStep(params, training.epochs) : undefined);
    const study = new Study(storage, record, config, sampler, scheduler, finalStep);
    if (options.artifacts) study.artifacts = options.artifacts;
    await study.view.sync();
    // Counted before stale trials were reaped (their retries are not new trials), without the baselines.
    if (earlier) study.resumed = { trials: earlier.trials - study.baselineCount, searchChanges: earlier.searchChanges };
    // Only the process whose createStudy succeeded queues them: creation is atomic, so processes starting one study
    // together queue them once, and a resumed study (or a worker joining it) never again.
    if (created && (await enqueueBaselines(storage, record.id, config, study.trials)) > 0) await study.view.sync();
    return study;
  }

  get id(): number {
    return this.record.id;
  }

  get name(): string {
    return this.record.name;
  }

  /**
   * Every trial, in number order, as of this controller's last read of storage (each ask and each report); numbers
   * reserved and still being sampled for (by any process) are not trials yet.
   */
  get trials(): readonly TrialRecord[] {
    return this.view.trials;
  }

  /** How many trials the study has, in any state, as of the last read of storage. */
  get trialCount(): number {
    return this.view.trialsByNumber.size;
  }

  /** How many of the study's trials are baselines (queued by the controller, not sampled). */
  get baselineCount(): number {
    return this.trials.filter(isBaseline).length;
  }

  /** How many trials the sampler chose (any state): what `search.trials` counts. */
  get searchedTrialCount(): number {
    return this.trialCount - this.baselineCount;
  }

  /** The most trials the study may hold: `search.trials` searched ones plus its baselines, which are outside it. */
  get trialBudget(): number {
    return this.config.search.trials + this.baselineCount;
  }

  /** Complete trials with a value, best first (ties: earlier first). */
  rankedTrials(): TrialRecord[] {
    return rankCompleted(this.trials, this.directions[0] ?? 'minimize');
  }

  /** The best complete trial by the first objective, or null. */
  get best(): TrialRecord | null {
    return this.view.best;
  }

  /**
   * The seed of the searched trial at `trialNumber` (its number less the baselines before it): a fork of the study
   * seed, whichever process creates it.
   */
  seedFor(trialNumber: number): number {
    return forkSeed(this.config.search.seed, 'trial', trialNumber);
  }

  /**
   * Samples a configuration and records it as a running trial; null when the sampler has nothing left or the study
   * already has `maxTrials` trials (counted in storage, so processes sharing the study share the budget). A queued
   * retry is handed out first, whatever the budget: the trial it retries already took its place.
   *
   * Three steps, so that no storage transaction waits on the sampler (a GP suggestion takes tens of milliseconds,
   * and every other writer, on every machine, would wait with it): the number is reserved in a short transaction
   * within the budget; the sampler runs outside any transaction, on storage as it is now, with the stream (and grid
   * point, and bracket) of the number reserved; one write stores what it chose and starts the trial. A sampler with
   * nothing left gives the number back (see `withdrawTrial`).
   */
  async ask(options: { readonly maxTrials?: number } = {}): Promise<AskedTrial | null> {
    // Retries of interrupted trials (queued when the study was resumed) run before anything new is sampled. Claimed
    // only when the last sync saw one: retries are changes in the feed, so one queued since waits at most one ask,
    // and every other ask saves the round trip.
    const waiting = this.view.hasWaiting ? await this.storage.claimWaitingTrial(this.id) : null;
    if (waiting) {
      this.view.remember(waiting);
      this.events.emit('trialStart', { trial: waiting });
      return { trial: waiting, params: this.paramsOf(waiting) };
    }
    const reserved = await this.storage.reserveTrial(this.id, options);
    if (!reserved) {
      // The budget is spent, perhaps by other processes since this one last read: the study this controller reports
      // (its best, its trials) is the one storage holds.
      await this.view.sync();
      return null;
    }
    let start: TrialStart | null;
    try {
      // The sampler learns from every trial as storage has it now: finished elsewhere means finished here, with its
      // value; other processes' reservations are not among them until their parameters are written (StudyView).
      await this.view.sync();
      start = this.sample(reserved.number);
    } catch (error) {
      await this.storage.withdrawTrial(reserved.id, `sampler error: ${(error as Error).message}`).catch(() => undefined);
      throw error;
    }
    if (!start) {
      await this.storage.withdrawTrial(reserved.id, NOTHING_LEFT);
      return null;
    }
    const trial = await this.storage.startTrial(reserved.id, start);
    this.view.remember(trial);
    this.events.emit('trialStart', { trial });
    return { trial, params: nestParams(this.space, trial.params) };
  }

  /**
   * What trial `trialNumber` runs: the sampler's suggestion from the trials known now, with its annotations. This is
   * the one place every sampler reads history from, and baselines are left out of it: samplers neither learn from
   * them nor count them, so searched trials are numbered from 0 for the sampler, the scheduler's placement and the
   * trial's seed, and a study samples the same configurations with baselines as without.
   */
  private sample(trialNumber: number): TrialStart | null {
    const baselines = this.trials.filter(isBaseline);
    const searchIndex = trialNumber - baselines.filter((t) => t.number < trialNumber).length;
    const placement = this.scheduler.placement?.(searchIndex) ?? {};
    const trials = baselines.length > 0 ? this.trials.filter((t) => !isBaseline(t)) : this.trials;
    // A configuration an earlier trial already has is not run again; how many were turned away is kept.
    const { params: suggested, duplicates } = suggestDistinct(this.sampler, {
      space: this.space,
      directions: this.directions,
      trials: this.scheduler.cohort ? this.scheduler.cohort(trials, placement) : trials,
      trialNumber: searchIndex,
      rng: new Rng(this.seedFor(searchIndex)).fork('sampler'),
    });
    if (suggested === null) return null;
    // Every built-in sampler leaves out what the trial does not read; a sampler passed in code may not.
    const flat = activeOnly(this.space, suggested);
    const distributions = Object.fromEntries(Object.keys(flat).map((path) => [path, this.distributions[path] as Distribution]));
    const maxStep = this.finalStep?.(nestParams(this.space, flat));
    const annotations: TrialAnnotations = {
      ...placement,
      ...(maxStep === undefined ? {} : { max_step: maxStep }),
      ...(duplicates > 0 ? { duplicates_avoided: duplicates } : {}),
    };
    return { params: flat, distributions, seed: this.seedFor(searchIndex), systemAttrs: annotations };
  }

  /**
   * Fails the trials of processes that died (no heartbeat for `search.staleAfterSeconds`) and queues their retries;
   * returns how many it found.
   */
  async reapStale(): Promise<number> {
    const stale = await reapStale(this.storage, this.id, this.config.search.staleAfterSeconds);
    if (stale.length > 0) await this.view.sync();
    return stale.length;
  }

  /**
   * Records one step's metrics and asks the scheduler whether the trial goes on, deciding from every step and
   * trial in storage (other processes' too, read since the last report); bookkeeping the scheduler returns (rung
   * reached) is stored on the trial, and a stop's reason is kept for the pruned trial.
   */
  async report(trial: TrialRecord, step: number, metrics: Metrics): Promise<Decision> {
    await this.storage.recordStep(trial.id, step, metrics);
    await this.view.sync();
    const value = this.objectiveValue(metrics);
    let current: TrialRecord = { ...this.current(trial), lastStep: step };
    const decision = this.scheduler.onReport(current, step, value, this.schedulerContext());
    if (decision.record) {
      for (const [key, attr] of Object.entries(decision.record)) await this.storage.setTrialSystemAttr(trial.id, key, attr);
      current = { ...current, systemAttrs: { ...current.systemAttrs, ...decision.record } };
    }
    if (decision.type === 'stop' && !this.stopReasons.has(trial.id))
      this.stopReasons.set(trial.id, `${this.scheduler.name}: ${decision.reason}`);
    this.view.remember(current);
    this.events.emit('trialReport', { trial: current, step, metrics, decision });
    return decision;
  }

  /** What the scheduler sees now: the trials and every step value reported so far, by any process. */
  schedulerContext(): SchedulerContext {
    return {
      trials: this.trials,
      trialsByNumber: this.view.trialsByNumber,
      history: this.view.steps,
      direction: this.directions[0] as Direction,
    };
  }

  /** The objective metric in a step's metrics (NaN when it was not reported). */
  private objectiveValue(metrics: Metrics): number {
    return metrics[this.config.objective.metric] ?? Number.NaN;
  }

  /**
   * Finishes a trial with a value or a runner outcome, in one storage write: state, values, metrics, the trainer's
   * findings, the artifact record and the reason (the scheduler's own, for a trial it stopped) commit together or
   * not at all. Returns the stored record.
   */
  async tell(trial: TrialRecord, input: TellInput): Promise<TrialRecord> {
    // The files are stored before the trial finishes: a crash in between leaves files of an unfinished trial (which
    // retention and deletion remove), never a finished trial whose files are on a disk no other machine can read.
    const stored =
      typeof input === 'object' && input.type === 'complete' && input.artifact ? await this.artifacts.put(trial, input.artifact.uri) : null;
    const finished = await this.storage.finishTrial(trial.id, toTrialEnd(input, this.stopReasons.get(trial.id), stored));
    this.stopReasons.delete(trial.id);
    this.view.remember(finished);
    this.events.emit('trialEnd', { trial: finished, best: this.best });
    return finished;
  }

  /** Nested params of a stored trial; a baseline's are top-level names outside the space, read as they are. */
  paramsOf(trial: TrialRecord): Params {
    return isBaseline(trial) ? { ...trial.params } : nestParams(this.space, trial.params);
  }

  /** True when `a` is a better value than `b` for the first objective, by the one rule of `core/rank.ts`. */
  isBetter(a: number, b: number): boolean {
    return isBetter(this.directions[0] as Direction, a, b);
  }

  private current(trial: TrialRecord): TrialRecord {
    return this.view.trialsByNumber.get(trial.number) ?? trial;
  }
}

/** Fails the running trials whose heartbeat is older than the grace and queues their retries. */
async function reapStale(storage: Storage, studyId: number, staleAfterSeconds: number): Promise<readonly TrialRecord[]> {
  const stale = await storage.failStaleTrials(studyId, staleAfterSeconds * 1000, 'interrupted: the process running it stopped');
  await retryInterrupted(storage, studyId, stale);
  return stale;
}

/**
 * Queues one retry of each trial a dead process left running: same parameters and seed, recording the trial it
 * retries. A retry that is itself interrupted is not retried again, so a trial that kills its process cannot loop.
 */
async function retryInterrupted(storage: Storage, studyId: number, stale: readonly TrialRecord[]): Promise<void> {
  for (const trial of stale) {
    // A reservation never got parameters: there is nothing to run again (its number stays failed).
    if (retryOf(trial) !== undefined || isReservation(trial)) continue;
    const bracket = bracketOf(trial);
    const maxStep = maxStepOf(trial);
    const baseline = baselineOf(trial);
    // The bracket (Hyperband's placement), the last step and being a baseline carry over; rungs reached do not,
    // since the retry starts from epoch 0.
    const annotations: TrialAnnotations = {
      ...(bracket === undefined ? {} : { bracket }),
      ...(maxStep === undefined ? {} : { max_step: maxStep }),
      ...(baseline === undefined ? {} : { baseline }),
      retry_of: trial.number,
    };
    await storage.createTrial(studyId, {
      state: 'waiting',
      params: trial.params,
      distributions: trial.distributions,
      seed: trial.seed,
      systemAttrs: annotations,
    });
  }
}

/**
 * How a trial ends in storage, with everything the finish records; `stopReason` is the scheduler's, and `files`
 * where the artifact store put a completed trial's files.
 */
function toTrialEnd(input: TellInput, stopReason?: string, files?: StoredArtifact | null): TrialEnd {
  if (typeof input === 'number') {
    return Number.isNaN(input) ? { state: 'failed', reason: 'objective returned NaN' } : { state: 'complete', values: [input] };
  }
  switch (input.type) {
    case 'complete':
      return {
        state: 'complete',
        values: [input.value],
        metrics: input.metrics,
        backend: input.backend,
        ...(input.attrs ? { systemAttrs: input.attrs } : {}),
        ...(files ? { artifacts: [{ kind: 'trial', uri: files.uri, bytes: files.bytes }] } : {}),
      };
    case 'pruned':
      return {
        state: 'pruned',
        values: input.value === null ? null : [input.value],
        metrics: input.metrics,
        backend: input.backend,
        reason: stopReason ?? `stopped by the scheduler at step ${input.step}`,
        ...(input.attrs ? { systemAttrs: input.attrs } : {}),
      };
    case 'failed':
      return { state: 'failed', reason: input.reason, metrics: input.metrics ?? {}, backend: input.backend ?? null };
  }
}
