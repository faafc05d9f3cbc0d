export type { Sampler, SampleContext } from './sampler.js';
export { RandomSampler } from './random.js';
export { GridSampler } from './grid.js';
export { createSampler } from './create.js';
export { QmcSampler } from './qmc.js';
export { TpeSampler, TPE_DEFAULTS, type TpeOptions } from './tpe/sampler.js';
export { GpSampler, GP_DEFAULTS, type GpOptions } from './gp/sampler.js';
export { suggestDistinct, MAX_RESAMPLES, MAX_RANDOM_DRAWS, type DistinctSuggestion } from './distinct.js';
