import type { TrainerFindings } from '../core/annotations.js';
import type { Metrics, Params } from '../core/types.js';
import type { DataConfig, TrainingConfig } from '../space/schema.js';
import type { TimeLimit } from './time-limit.js';

/** Fields every trial task carries. */
interface TaskBase {
  readonly trialNumber: number;
  /** The trial's own seed (forked from the study seed and the trial number). */
  readonly seed: number;
  readonly params: Params;
  /** Set by the runner from `search.trialTimeoutSeconds`: the trial checks it between batches and steps. */
  readonly timeLimit?: TimeLimit;
}

/** Train a TensorFlow.js model on the study's dataset (workers/train.ts). */
export interface TrainTask extends TaskBase {
  readonly kind: 'train';
  readonly data: DataConfig;
  /** Seeds the train/validation/test split; the study seed, so every trial sees the same split. */
  readonly dataSeed: number;
  readonly training: TrainingConfig;
  readonly objective: { readonly metric: string; readonly direction: 'minimize' | 'maximize' };
  /** Where a completed trial writes its model, preprocessing and predictions; none are written without it. */
  readonly artifactDir?: string;
}

/** Call the default export of a user's ES module (workers/objective.ts). */
export interface ModuleTask extends TaskBase {
  readonly kind: 'module';
  /** Absolute path of the module. */
  readonly module: string;
}

/** Call a function given to `autotune()` (in-process only: functions cannot cross threads). */
export interface FunctionTask extends TaskBase {
  readonly kind: 'function';
}

export type TrialTask = TrainTask | ModuleTask | FunctionTask;

/** The tasks that can cross to a worker thread: their data and modules are named by path, a function is not. */
export type WorkerTask = TrainTask | ModuleTask;

/** How a trial ended, as the runner reports it. */
export type TrialOutcome =
  | {
      readonly type: 'complete';
      readonly value: number;
      readonly metrics: Metrics;
      readonly backend: string;
      /** Findings stored with the trial (see TrialAnnotations): diagnoses, the test confusion matrix, labels. */
      readonly attrs?: TrainerFindings;
      /** The directory the trial wrote its model, preprocessing and predictions to, and its size. */
      readonly artifact?: { readonly uri: string; readonly bytes: number };
    }
  | {
      readonly type: 'pruned';
      readonly step: number;
      readonly value: number | null;
      readonly metrics: Metrics;
      readonly backend: string;
      readonly attrs?: TrainerFindings;
    }
  | { readonly type: 'failed'; readonly reason: string; readonly metrics?: Metrics; readonly backend?: string };

/**
 * The trial's side of reporting: send one step's metrics, learn whether to go on. Trainers and objectives use
 * this whether they run in a worker or in-process.
 */
export interface Reporter {
  report(step: number, metrics: Metrics): Promise<{ readonly stop: boolean }>;
  /** Announces that an epoch of `epochs` starts. */
  epoch?(epoch: number, epochs: number): void;
}
