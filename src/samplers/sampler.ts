import type { Rng } from '../core/rng.js';
import type { Direction, FlatParams, TrialRecord } from '../core/types.js';
import type { CompiledSpace } from '../space/compile.js';

/** What a sampler may look at when it proposes the next configuration. */
export interface SampleContext {
  readonly space: CompiledSpace;
  readonly directions: readonly Direction[];
  /**
   * Every searched trial of the study so far (a scheduler may narrow this to a cohort), running ones included; the
   * study's baselines are not among them.
   */
  readonly trials: readonly TrialRecord[];
  /** The new trial's place among the searched trials, from 0 (its stored number, less the baselines before it). */
  readonly trialNumber: number;
  /** This trial's own stream, forked from the study seed, so suggestions repeat for the same seed. */
  readonly rng: Rng;
}

/**
 * Decides which configuration to try next. Knows nothing of budgets or stopping; rebuilds whatever it needs from
 * `trials`, so any process can sample and a resumed study carries on.
 *
 * @example const params = new RandomSampler().suggest(ctx);
 */
export interface Sampler {
  readonly name: string;
  /** True when it never suggests a configuration twice by construction (a grid): the duplicate rule is skipped. */
  readonly distinct?: boolean;
  /** The next configuration (flat params of the active branches), or null when the sampler has nothing left. */
  suggest(ctx: SampleContext): FlatParams | null;
}
