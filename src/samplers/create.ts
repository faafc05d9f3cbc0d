import type { CompiledSpace } from '../space/compile.js';
import type { SamplerConfig, SearchConfig } from '../space/schema.js';
import { GpSampler } from './gp/sampler.js';
import { GridSampler } from './grid.js';
import { QmcSampler } from './qmc.js';
import { RandomSampler } from './random.js';
import type { Sampler } from './sampler.js';
import { TpeSampler } from './tpe/sampler.js';

/** The options object of any sampler config (a bare name means all defaults). */
export function samplerOptions(config: SamplerConfig): { type: string } & Record<string, unknown> {
  return typeof config === 'string' ? { type: config } : config;
}

/** The sampler a study's `search` block names, seeded with the study seed. */
export function createSampler(search: SearchConfig, space: CompiledSpace): Sampler {
  const { type, ...options } = samplerOptions(search.sampler);
  const seed = search.seed;
  switch (type) {
    case 'grid':
      return new GridSampler(space, { resolution: search.gridResolution, seed });
    case 'qmc':
      return new QmcSampler(space, { seed });
    case 'tpe':
      return new TpeSampler(space, { ...options, seed });
    case 'gp':
      return new GpSampler(space, { ...options, seed });
    default:
      return new RandomSampler();
  }
}
