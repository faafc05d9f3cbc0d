import type { Params, TrialRecord } from '../core/types.js';
import type { StudyConfig } from '../space/schema.js';
import { trialArtifactDir } from '../artifacts/layout.js';
import type { FunctionTask, TrialTask, WorkerTask } from '../training/protocol.js';

/** Builds the task each trial runs. */
export type TaskFor<Task extends TrialTask> = (trial: TrialRecord, params: Params) => Task;

/**
 * What a trial of this study runs: a model trained on its dataset, a user's objective module, or (when the
 * study has neither) the inline objective function given to `autotune()`. Trained models save their artifacts
 * under `artifactRoot` when one is given. For the inline runner; a pool takes {@link workerTaskBuilder}.
 */
export function taskBuilder(config: StudyConfig, artifactRoot?: string): TaskFor<TrialTask> {
  if (!config.data && !config.objective.module) return functionTask;
  return workerTaskBuilder(config, artifactRoot);
}

/**
 * The tasks of a study whose trials can run in a worker thread: it trains models or calls an objective module.
 * Throws for a study that has neither (its trials call a function, which only the inline runner holds), before any
 * trial starts.
 */
export function workerTaskBuilder(config: StudyConfig, artifactRoot?: string): TaskFor<WorkerTask> {
  const saveArtifacts = artifactRoot !== undefined && config.training.keepArtifacts > 0;
  const { data } = config;
  if (data) {
    return (trial, params) => ({
      ...base(trial, params),
      kind: 'train',
      data,
      dataSeed: config.search.seed,
      training: config.training,
      objective: { metric: config.objective.metric, direction: config.objective.direction },
      ...(saveArtifacts ? { artifactDir: trialArtifactDir(artifactRoot, config.name, trial.number) } : {}),
    });
  }
  const { module } = config.objective;
  if (module) return (trial, params) => ({ ...base(trial, params), kind: 'module', module });
  throw new Error(`study "${config.name}" has neither data nor objective.module: its trials need the inline runner and a function`);
}

function functionTask(trial: TrialRecord, params: Params): FunctionTask {
  return { ...base(trial, params), kind: 'function' };
}

function base(trial: TrialRecord, params: Params) {
  return { trialNumber: trial.number, seed: trial.seed, params };
}
