import type { TrialRecord } from '../core/types.js';
import { promotable, rungSteps } from './rungs.js';
import { CONTINUE, couldContinue, finalStepOf, trialNumbered, type Decision, type Scheduler, type SchedulerContext } from './scheduler.js';

export interface AshaOptions {
  /** r: the first rung, in steps (epochs). */
  readonly minEpochs: number;
  /** R: a trial that reaches it completes. */
  readonly maxEpochs: number;
  /** η: keep the top 1/η at each rung. */
  readonly eta: number;
}

/**
 * Asynchronous successive halving (ASHA, Li et al. 2018): rungs at r·η^k steps; at each rung a trial goes on
 * only if its value there is in the top 1/η of the values recorded at that rung so far. No trial waits for
 * another. `competitors` narrows the comparison (Hyperband compares within a bracket). A trial is never stopped at
 * its last step, and only trials that could go on past a rung compete there: a one-step ridge fit at rung 1 is
 * finished, not promoted, and its value is no measure of an epoch of a network.
 *
 * @example new AshaScheduler({ minEpochs: 1, maxEpochs: 27, eta: 3 })
 */
export class AshaScheduler implements Scheduler {
  readonly name: string = 'asha';
  readonly options: AshaOptions;
  private readonly rungs: readonly number[];

  constructor(options: AshaOptions) {
    this.options = options;
    this.rungs = rungSteps(options.minEpochs, options.eta, options.maxEpochs);
  }

  onReport(trial: TrialRecord, step: number, value: number, ctx: SchedulerContext): Decision {
    return this.decide(trial, step, value, ctx, this.rungs, () => true);
  }

  /** The rung decision, shared with Hyperband (which passes its bracket's rungs and members). */
  protected decide(
    trial: TrialRecord,
    step: number,
    value: number,
    ctx: SchedulerContext,
    rungs: readonly number[],
    isCompetitor: (trialNumber: number) => boolean,
  ): Decision {
    const rung = rungs.indexOf(step);
    if (rung < 0 || step >= finalStepOf(trial)) return CONTINUE;
    const competing = [...ctx.history.valuesAt(step)]
      .filter(([n]) => isCompetitor(n) && couldContinue(trialNumbered(ctx.trials, n), step))
      .map(([, v]) => v);
    if (!competing.length) competing.push(value);
    if (promotable(value, competing, this.options.eta, ctx.direction)) {
      return { type: 'continue', record: { rung: rung + 1 } };
    }
    return {
      type: 'stop',
      reason: `not in the top 1/${this.options.eta} of ${competing.length} at rung ${rung} (step ${step})`,
      record: { rung },
    };
  }
}
