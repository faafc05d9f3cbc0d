import type { Direction } from '../core/types.js';
import type { SamplerConfig, SchedulerConfig, SpaceSpec, StudyFileInput } from '../space/schema.js';
import type { Storage } from '../storage/storage.js';
import type { ObjectiveFunction } from '../training/objective.js';
import type { StudyEventMap } from '../controller/events.js';

/**
 * Options of {@link autotune}: a study file's fields, flattened for code. Everything has a default except
 * `space` and something to optimize (`objective` as a function or module path, or `data` to train models on).
 *
 * @example
 * await autotune({ space: { x: { float: [-5, 5] } }, objective: ({ x }) => x * x, direction: 'minimize', trials: 50 });
 */
export interface AutotuneOptions {
  /** Study name; re-running a name against the same storage continues that study. Default `"study"`. */
  readonly name?: string;
  readonly space: SpaceSpec;
  /** An in-process function, or the path of an ES module whose default export is one (run in the worker pool). */
  readonly objective?: ObjectiveFunction | string;
  /** Train TensorFlow.js models on this dataset (see the study file's `data` block). */
  readonly data?: StudyFileInput['data'];
  readonly training?: StudyFileInput['training'];
  /** Build an ensemble of the best trials when the search ends (see the study file's `ensemble` block). */
  readonly ensemble?: StudyFileInput['ensemble'];
  /** Metric to optimize: `value` for objectives; e.g. `val_accuracy` or `val_loss` for trained models. */
  readonly metric?: string;
  /** Default `minimize`. */
  readonly direction?: Direction;
  readonly sampler?: SamplerConfig;
  readonly scheduler?: SchedulerConfig;
  readonly trials?: number;
  readonly parallelism?: number;
  readonly seed?: number;
  readonly timeoutSeconds?: number;
  readonly targetValue?: number;
  readonly maxConsecutiveFailures?: number;
  readonly trialTimeoutSeconds?: number;
  readonly gridResolution?: number;
  /** Run the baselines first, outside `trials` (default true; see the study file's `search.baselines`). */
  readonly baselines?: boolean;
  /** A storage URL (`:memory:`, `sqlite:./autotune.db`, a file path) or an open Storage. Default `:memory:`. */
  readonly storage?: string | Storage;
  /** Where trials run: the worker pool (default for models and modules) or this thread. */
  readonly runner?: 'pool' | 'inline';
  /** Stops the study: no new trials, running ones end as failed. */
  readonly signal?: AbortSignal;
  /** Listeners for the study's events. */
  readonly on?: { readonly [K in keyof StudyEventMap]?: (payload: StudyEventMap[K]) => void };
}

/** Turns API options into a study-file object (validated by the same schema as files). */
export function toStudyInput(options: AutotuneOptions): StudyFileInput {
  const trainsModels = options.data !== undefined;
  return {
    name: options.name ?? 'study',
    space: options.space,
    ...(options.data ? { data: options.data } : {}),
    ...(options.training ? { training: options.training } : {}),
    ...(options.ensemble ? { ensemble: options.ensemble } : {}),
    objective: {
      metric: options.metric ?? (trainsModels ? 'val_loss' : 'value'),
      direction: options.direction ?? 'minimize',
      ...(typeof options.objective === 'string' ? { module: options.objective } : {}),
    },
    search: dropUndefined({
      sampler: options.sampler,
      scheduler: options.scheduler,
      trials: options.trials,
      parallelism: options.parallelism,
      seed: options.seed,
      timeoutSeconds: options.timeoutSeconds,
      targetValue: options.targetValue,
      maxConsecutiveFailures: options.maxConsecutiveFailures,
      trialTimeoutSeconds: options.trialTimeoutSeconds,
      gridResolution: options.gridResolution,
      baselines: options.baselines,
    }),
  };
}

function dropUndefined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}
