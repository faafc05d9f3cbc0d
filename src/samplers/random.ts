import type { FlatParams } from '../core/types.js';
import { sampleDistribution } from '../space/distributions.js';
import { walkActive } from '../space/params.js';
import type { SampleContext, Sampler } from './sampler.js';

/**
 * Independent uniform (log-uniform for `log`) draws from the trial's own stream: no history, no collisions to
 * worry about, and the baseline every other sampler must beat.
 *
 * @example new RandomSampler().suggest(ctx) // { lr: 0.0031, layers: 2 }
 */
export class RandomSampler implements Sampler {
  readonly name = 'random';

  suggest(ctx: SampleContext): FlatParams {
    return walkActive(ctx.space, (node) => sampleDistribution(node.distribution, ctx.rng));
  }
}
