/**
 * autotune's public API.
 *
 * @example
 * import { autotune } from 'autotune';
 * const { best } = await autotune('search-spaces/wine.json');
 */
export { autotune, runStudy, type AutotuneResult, type BestTrial, type RunSettings } from './api/autotune.js';
export type { AutotuneOptions } from './api/options.js';
export { openStorage, MemoryStorage, SqliteStorage, type Storage } from './storage/index.js';
export { Study, runSearch, type StudyEventMap, type StopReason } from './controller/index.js';
export { loadStudyFile, parseStudy, studyJsonSchema, type StudyConfig, type StudyFileInput, type SpaceSpec } from './space/index.js';
export { RandomSampler, GridSampler, type Sampler, type SampleContext } from './samplers/index.js';
export { FifoScheduler, type Scheduler, type Decision } from './schedulers/index.js';
export {
  PiscinaRunner,
  InlineRunner,
  type Runner,
  type ObjectiveFunction,
  type ObjectiveContext,
  type CustomLoss,
} from './training/index.js';
export * from './core/index.js';
export { loadModel, type Predictor } from './export/predictor.js';
export { exportStudy, type ExportOptions } from './export/export.js';
export type { Manifest } from './export/manifest.js';
export type { RawRow } from './data/fitted-preprocessing.js';
export { buildStudyEnsemble, type StoredEnsemble } from './ensemble/study-ensemble.js';
