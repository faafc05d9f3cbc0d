import { resolve } from 'node:path';
import type { Metrics, Params, TrialRecord } from '../core/types.js';
import { duplicatesAvoided } from '../controller/duplicates.js';
import type { StudyEvents, StudyEventMap } from '../controller/events.js';
import { requireBest, runSearch, type SearchSummary } from '../controller/search.js';
import { Study, type ResumedStudy } from '../controller/study.js';
import { taskBuilder, workerTaskBuilder } from '../controller/tasks.js';
import type { EnsembleConfig, StudyConfig, StudyFileInput } from '../space/schema.js';
import { artifactRootFor, trialArtifactDir } from '../artifacts/layout.js';
import { ArtifactRetention } from '../artifacts/retention.js';
import { writeStoreFor } from '../artifacts/stores.js';
import { describeError } from '../core/errors.js';
import { buildStudyEnsemble, type StoredEnsemble } from '../ensemble/study-ensemble.js';
import { qualityReport } from '../data/quality.js';
import { openStorage } from '../storage/open.js';
import type { Storage } from '../storage/storage.js';
import { InlineRunner } from '../training/inline-runner.js';
import type { ObjectiveFunction } from '../training/objective.js';
import { PiscinaRunner } from '../training/piscina-runner.js';
import { recordJoinInputs, relocatedData, type DataLocation } from './joinable-study.js';
import { toStudyInput, type AutotuneOptions } from './options.js';
import { isValidatedStudy, validateStudy, type ValidatedStudy } from './validate-study.js';

/** The best trial of a finished search. */
export interface BestTrial {
  readonly number: number;
  readonly params: Params;
  readonly value: number;
  readonly metrics: Metrics;
}

/** What {@link autotune} resolves to. */
export interface AutotuneResult {
  readonly study: {
    readonly id: number;
    readonly name: string;
    readonly storage: string;
    readonly state: 'complete' | 'failed' | 'stopped' | 'running';
    readonly stopReason: SearchSummary['reason'];
    /** Suggested configurations not run because an earlier trial had them, and the trials resampled for it. */
    readonly duplicatesAvoided: { readonly candidates: number; readonly trials: number };
    /** Set when the study already existed: its trials before this run, and how this run's search settings differ. */
    readonly resumed: ResumedStudy | null;
  };
  readonly best: BestTrial;
  readonly trials: readonly TrialRecord[];
  /** The ensemble built when the study asks for one (`ensemble` block). */
  readonly ensemble?: StoredEnsemble;
  /** Why the ensemble the study asked for was not built (also stored as the study's `ensemble_error`). */
  readonly ensembleError?: string;
  /** Where trials saved their models and predictions (trained models only). */
  readonly artifacts?: string;
}

/** Runtime settings that a study file cannot hold (functions, open handles). */
export interface RunSettings {
  readonly objective?: ObjectiveFunction;
  readonly storage?: string | Storage;
  readonly runner?: 'pool' | 'inline';
  readonly signal?: AbortSignal;
  /** Stops starting trials and lets running ones finish; `signal` still ends them early. */
  readonly drain?: AbortSignal;
  readonly on?: AutotuneOptions['on'];
  /**
   * Directory for trial artifacts (a share every machine mounts); default: beside the SQLite file, in the database
   * for PostgreSQL, or a temporary directory for `:memory:`.
   */
  readonly artifacts?: string;
  /** Called with the study before its search starts (the CLI attaches its progress display here). */
  readonly onStudy?: (study: Study) => void;
  /**
   * Set by `autotune worker`: this process joins a study created elsewhere, so it records none of what a worker
   * checks (checksums, search settings, version), and its trials read the dataset from here when given (the
   * definition keeps the recorded paths).
   */
  readonly joining?: { readonly data?: DataLocation };
}

/**
 * Runs a hyperparameter search and resolves to its best trial. Takes a study file's path, a study-file object, or
 * {@link AutotuneOptions}; `settings` adds what a file cannot hold (storage, signal, listeners). Storage defaults
 * to `:memory:` for options and to `./autotune.db` for study files, as on the command line. Rejects with an InputError for bad input (nothing written) and a StudyFailedError when
 * no trial completed.
 *
 * @example
 * const r = await autotune({
 *   space: { x: { float: [-5, 10] }, y: { float: [0, 15] } },
 *   objective: ({ x, y }) => (x - 2) ** 2 + (y - 3) ** 2,
 *   direction: 'minimize', trials: 100, seed: 1, storage: ':memory:',
 * });
 * console.log(r.best.value, r.best.params);
 */
export async function autotune(input: string | AutotuneOptions | StudyFileInput, settings: RunSettings = {}): Promise<AutotuneResult> {
  if (typeof input === 'string' || isStudyFile(input)) return runStudy(validateStudy(input), settings);
  const options = input;
  const objective = typeof options.objective === 'function' ? options.objective : undefined;
  return runStudy(validateStudy(toStudyInput(options), { inlineObjective: !!objective }), {
    ...settings,
    ...(objective ? { objective } : {}),
    storage: options.storage ?? settings.storage ?? ':memory:',
    ...(options.runner ? { runner: options.runner } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.on ? { on: options.on } : {}),
  });
}

function isStudyFile(input: AutotuneOptions | StudyFileInput): input is StudyFileInput {
  return typeof input.objective === 'object' && input.objective !== null;
}

/**
 * Runs a study: validates it (unless given what {@link validateStudy} returned), then opens storage, opens (or
 * resumes) the study, runs the search loop with the right runner, and closes what it opened. Bad input is refused
 * before storage is opened, so it writes nothing.
 */
export async function runStudy(study: StudyConfig | ValidatedStudy, settings: RunSettings = {}): Promise<AutotuneResult> {
  const { config, table } = isValidatedStudy(study) ? study : validateStudy(study, { inlineObjective: settings.objective !== undefined });
  const ownsStorage = typeof settings.storage !== 'object';
  const storage = typeof settings.storage === 'object' ? settings.storage : await openStorage(settings.storage ?? resolve('autotune.db'));
  const runner = createRunner(config, settings);
  try {
    const study = await Study.open(storage, config, settings.artifacts ? { artifacts: writeStoreFor(storage, settings.artifacts) } : {});
    if (!settings.joining) await recordJoinInputs(storage, study.record, config);
    if (table && config.data && !study.record.systemAttrs.data_quality) {
      // Profiled once per study, from the controller thread; trials read the data in their own workers.
      await storage.setStudySystemAttr(
        study.id,
        'data_quality',
        qualityReport(table, config.data.target, config.data.task, config.data.features),
      );
    }
    attachListeners(study.events, settings.on);
    const artifactRoot =
      config.data && config.training.keepArtifacts > 0 ? (settings.artifacts ?? artifactRootFor(storage.url)) : undefined;
    const retention = artifactRoot ? keepBestArtifacts(study, artifactRoot) : undefined;
    settings.onStudy?.(study);
    const runConfig = relocatedData(config, settings.joining?.data);
    const stops = { ...(settings.signal ? { signal: settings.signal } : {}), ...(settings.drain ? { drain: settings.drain } : {}) };
    // Two calls, one per runner, so that the compiler pairs each runner with the tasks it can run.
    const summary =
      runner instanceof PiscinaRunner
        ? await runSearch(study, runner, { taskFor: workerTaskBuilder(runConfig, artifactRoot), ...stops })
        : await runSearch(study, runner, { taskFor: taskBuilder(runConfig, artifactRoot), ...stops });
    await retention?.settled();
    const best = requireBest(study, summary);
    // Without artifacts (a function objective, keepArtifacts 0) building fails with the reason, which is stored and
    // returned rather than the ensemble block being ignored in silence.
    const built = config.ensemble ? await buildAndStoreEnsemble(study, config.ensemble) : {};
    const record = await storage.getStudy(study.id);
    return {
      study: {
        id: study.id,
        name: study.name,
        storage: storage.url,
        state: record.state,
        stopReason: summary.reason,
        duplicatesAvoided: duplicatesAvoided(study.trials),
        resumed: study.resumed,
      },
      best: { number: best.number, params: study.paramsOf(best), value: best.values?.[0] as number, metrics: best.metrics },
      trials: study.trials,
      ...built,
      ...(artifactRoot ? { artifacts: artifactRoot } : {}),
    };
  } finally {
    await runner.close();
    if (ownsStorage) await storage.close();
  }
}

function createRunner(config: StudyConfig, settings: RunSettings): InlineRunner | PiscinaRunner {
  if (settings.objective || settings.runner === 'inline') return new InlineRunner(settings.objective);
  return new PiscinaRunner({
    threads: config.search.parallelism,
    memoryMb: config.training.workerMemoryMb,
    maxTrialsPerThread: config.training.workerMaxTrials,
  });
}

function attachListeners(events: StudyEvents, listeners: RunSettings['on']): void {
  if (!listeners) return;
  const add = <K extends keyof StudyEventMap>(event: K) => {
    const listener = listeners[event];
    if (listener) events.on(event, listener);
  };
  (['trialStart', 'trialEpoch', 'trialReport', 'trialEnd', 'studyEnd'] as const).forEach(add);
}

/**
 * Deletes the artifacts of trials outside the best `training.keepArtifacts` as trials finish, and those a process
 * stored for a trial it then failed to finish; ensemble members stay.
 */
function keepBestArtifacts(study: Study, root: string): ArtifactRetention {
  const stored = study.record.systemAttrs.ensemble as StoredEnsemble | undefined;
  const members = new Set(stored?.members.map((m) => m.trial) ?? []);
  const retention = new ArtifactRetention(
    study.config.training.keepArtifacts,
    // The worker's own directory: where a filesystem store keeps the files, and a database store its local copy.
    (trial) => study.artifacts.remove(trial, trialArtifactDir(root, study.name, trial.number)),
    (n) => members.has(n),
  );
  // Housekeeping must not fail the study: a delete that fails (the server away) is tried again at the next end.
  study.events.on(
    'trialEnd',
    () =>
      void retention
        .prune(
          study.rankedTrials(),
          study.trials.filter((t) => t.state === 'failed'),
        )
        .catch(() => {}),
  );
  return retention;
}

/** Builds the study's ensemble and stores it; a failure is stored as its reason and never fails the finished study. */
async function buildAndStoreEnsemble(
  study: Study,
  options: EnsembleConfig,
): Promise<{ ensemble?: StoredEnsemble; ensembleError?: string }> {
  try {
    const ensemble = await buildStudyEnsemble(study.storage, study.id, study.config.objective, options);
    await study.storage.setStudySystemAttr(study.id, 'ensemble', ensemble);
    return { ensemble };
  } catch (error) {
    const ensembleError = describeError(error);
    await study.storage.setStudySystemAttr(study.id, 'ensemble_error', ensembleError);
    return { ensembleError };
  }
}
