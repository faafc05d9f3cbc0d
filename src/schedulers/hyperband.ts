import { bracketOf, type Placement } from '../core/annotations.js';
import { forkSeed } from '../core/rng.js';
import type { TrialRecord } from '../core/types.js';
import { AshaScheduler, type AshaOptions } from './asha.js';
import { bracketMinResource, bracketSizes, rungSteps } from './rungs.js';
import type { Decision, SchedulerContext } from './scheduler.js';

/**
 * Hyperband over asynchronous successive halving (as Optuna's HyperbandPruner): brackets with minimum resources
 * r, r·η, r·η², … up to R, each running ASHA among its own trials. A trial's bracket is drawn from its number and
 * the study seed, in proportion to the number of configurations Li et al. (2018) give each bracket. `cohort` lets
 * a Bayesian sampler learn only from the new trial's bracket — TPE with this scheduler is BOHB.
 *
 * @example new HyperbandScheduler({ minEpochs: 1, maxEpochs: 27, eta: 3 }, 42)
 */
export class HyperbandScheduler extends AshaScheduler {
  override readonly name = 'hyperband';
  private readonly cumulative: readonly number[];
  private readonly bracketRungs: readonly (readonly number[])[];

  constructor(
    options: AshaOptions,
    private readonly seed: number,
  ) {
    super(options);
    const sizes = bracketSizes(options.minEpochs, options.eta, options.maxEpochs);
    const total = sizes.reduce((s, v) => s + v, 0);
    let acc = 0;
    this.cumulative = sizes.map((size) => (acc += size / total));
    this.bracketRungs = sizes.map((_, b) =>
      rungSteps(bracketMinResource(b, options.minEpochs, options.eta), options.eta, options.maxEpochs),
    );
  }

  /** Number of brackets. */
  get brackets(): number {
    return this.bracketRungs.length;
  }

  placement(trialNumber: number): Placement {
    const u = forkSeed(this.seed, 'hyperband-bracket', trialNumber) / 2 ** 32;
    const bracket = this.cumulative.findIndex((c) => u < c);
    return { bracket: bracket < 0 ? this.cumulative.length - 1 : bracket };
  }

  cohort(trials: readonly TrialRecord[], placement: Placement): readonly TrialRecord[] {
    const members = trials.filter((t) => bracketOf(t) === placement.bracket);
    // Too few trials in the bracket to learn from: let the sampler see everything rather than sample blindly.
    return members.length >= 10 ? members : trials;
  }

  override onReport(trial: TrialRecord, step: number, value: number, ctx: SchedulerContext): Decision {
    const bracket = bracketOf(trial) ?? 0;
    // Looked up by number, not list index: the trials a controller knows need not be numbered densely.
    const inBracket = (n: number) => {
      const other = ctx.trialsByNumber.get(n);
      return other !== undefined && (bracketOf(other) ?? 0) === bracket;
    };
    return this.decide(trial, step, value, ctx, this.bracketRungs[bracket] ?? [], inBracket);
  }
}
