/** Whether a lower or a higher objective value is better. */
export type Direction = 'minimize' | 'maximize';

/** A parameter value as samplers produce it. */
export type ParamValue = number | string | boolean;

/**
 * Flat parameters keyed by their path in the space: `learningRate`, `model` (a branch name), `model.cnn.filters`.
 * Only the parameters of the active branches are present.
 */
export type FlatParams = Readonly<Record<string, ParamValue>>;

/**
 * Parameters as an objective or trainer sees them: a conditional choice becomes an object holding its branch name
 * in `type` and the branch's own parameters, e.g. `{ model: { type: 'cnn', filters: 16 }, learningRate: 0.01 }`.
 */
export type Params = { readonly [key: string]: ParamValue | Params };

/** The life of a trial. `waiting` trials are enqueued but not yet claimed by any controller. */
export type TrialState = 'waiting' | 'running' | 'complete' | 'pruned' | 'failed';

/** States a trial never leaves. */
export const FINISHED_STATES: readonly TrialState[] = ['complete', 'pruned', 'failed'];

/** Metrics reported at one step, e.g. `{ loss: 0.3, val_accuracy: 0.91 }`. */
export type Metrics = Readonly<Record<string, number>>;

/** The distribution a parameter was drawn from; stored with each trial so history can be reinterpreted later. */
export type Distribution =
  | { readonly kind: 'float'; readonly low: number; readonly high: number; readonly log: boolean; readonly step?: number }
  | { readonly kind: 'int'; readonly low: number; readonly high: number; readonly log: boolean; readonly step: number }
  | { readonly kind: 'categorical'; readonly choices: readonly ParamValue[] }
  | { readonly kind: 'const'; readonly value: ParamValue };

/** One trial as storage holds it. Finished trials are immutable. */
export interface TrialRecord {
  readonly id: number;
  readonly studyId: number;
  /** 0-based, dense within a study. */
  readonly number: number;
  readonly state: TrialState;
  readonly params: FlatParams;
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** One value per objective; null until the trial completes (or when it was pruned before any report). */
  readonly values: readonly number[] | null;
  /** The final metrics (for trained models: the best epoch's metrics plus test metrics). */
  readonly metrics: Metrics;
  readonly seed: number;
  /** Which tfjs backend trained it (`tensorflow`, `wasm`, `cpu`), or `inline` for in-process objectives. */
  readonly backend: string | null;
  readonly failReason: string | null;
  /** Last step reported, or null. */
  readonly lastStep: number | null;
  readonly userAttrs: Readonly<Record<string, unknown>>;
  readonly systemAttrs: Readonly<Record<string, unknown>>;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly heartbeatAt: number | null;
}

/** The state of a study as a whole. */
export type StudyState = 'running' | 'complete' | 'failed' | 'stopped';

/** One study as storage holds it. */
export interface StudyRecord {
  readonly id: number;
  readonly name: string;
  readonly directions: readonly Direction[];
  /** The normalized study definition (JSON), so any process can resume it. */
  readonly config: unknown;
  readonly state: StudyState;
  readonly userAttrs: Readonly<Record<string, unknown>>;
  readonly systemAttrs: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

/** One per-step (per-epoch) report. */
export interface StepRecord {
  readonly step: number;
  readonly metrics: Metrics;
  readonly recordedAt: number;
}

/** A file produced by a trial (a saved model, predictions) that storage references but does not hold. */
export interface ArtifactRecord {
  readonly id: number;
  readonly trialId: number;
  readonly kind: string;
  readonly uri: string;
  readonly bytes: number | null;
  readonly createdAt: number;
}
