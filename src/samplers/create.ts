import type { CompiledSpace } from '../space/compile.js';
import type { SearchConfig } from '../space/schema.js';
import { GridSampler } from './grid.js';
import { RandomSampler } from './random.js';
import type { Sampler } from './sampler.js';

/** The sampler a study's `search` block names. */
export function createSampler(search: SearchConfig, space: CompiledSpace): Sampler {
  switch (search.sampler) {
    case 'random':
      return new RandomSampler();
    case 'grid':
      return new GridSampler(space, { resolution: search.gridResolution, seed: search.seed });
  }
}
