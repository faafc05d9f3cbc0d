export type { Sampler, SampleContext } from './sampler.js';
export { RandomSampler } from './random.js';
export { GridSampler } from './grid.js';
export { createSampler } from './create.js';
