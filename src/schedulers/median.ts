import { median } from '../maths/stats.js';
import {
  bestSoFar,
  CONTINUE,
  couldContinue,
  finalStepOf,
  trialNumbered,
  type Decision,
  type Scheduler,
  type SchedulerContext,
} from './scheduler.js';
import { isBetter, isRankable } from '../core/rank.js';
import type { TrialRecord } from '../core/types.js';

export interface MedianOptions {
  /** Comparable complete trials (see {@link MedianScheduler}) needed at a step before a trial is stopped there. */
  readonly startupTrials: number;
  /**
   * A trial is never stopped at or before this step. `auto`: a tenth of the trial's own last step, rounded up (4 of
   * 40 epochs), and 0 when its last step is unknown (an objective's own reports).
   */
  readonly warmupSteps: number | 'auto';
  /** Decide only every `interval` steps after the warm-up. */
  readonly interval: number;
}

export const MEDIAN_DEFAULTS: MedianOptions = { startupTrials: 5, warmupSteps: 'auto', interval: 1 };

/**
 * Share of its own epochs a network trains before `auto` lets it be judged: the first epochs' values say more about
 * the learning rate than about where the trial ends (on diabetes, fifo's best MLP was 0.19 R² at epoch 1, below the
 * median, and 0.40 at epoch 4; bench/RESULTS.md).
 */
const AUTO_WARMUP_SHARE = 0.1;

/**
 * Median stopping, as Optuna's MedianPruner: stop a trial whose best value so far is worse than the median of
 * the values complete trials reported at the same step — counting only trials that could have gone on past that
 * step. A trial's last step is never a decision (stopping it there saves nothing), and a trial that ended there (a
 * one-step ridge fit, a model trained for fewer epochs) is no yardstick for one that is still learning. The
 * start-up rule counts the same comparable trials, so a few complete trials that reached the step (with many
 * short ones filling the count) cannot set the bar.
 *
 * @example new MedianScheduler({ startupTrials: 5, warmupSteps: 2 })
 * @example new MedianScheduler() // warm-up: a tenth of each trial's epochs
 */
export class MedianScheduler implements Scheduler {
  readonly name = 'median';
  readonly options: MedianOptions;

  constructor(options: Partial<MedianOptions> = {}) {
    this.options = { ...MEDIAN_DEFAULTS, ...options };
  }

  onReport(trial: TrialRecord, step: number, value: number, ctx: SchedulerContext): Decision {
    const { startupTrials, interval } = this.options;
    const finalStep = finalStepOf(trial);
    if (step >= finalStep) return CONTINUE;
    const warmupSteps = this.warmupFor(finalStep);
    if (step <= warmupSteps || (step - warmupSteps - 1) % interval !== 0) return CONTINUE;
    const others: number[] = [];
    for (const [n, v] of ctx.history.valuesAt(step)) {
      const other = trialNumbered(ctx.trials, n);
      if (isRankable(v) && other?.state === 'complete' && couldContinue(other, step)) others.push(v);
    }
    if (others.length === 0 || others.length < startupTrials) return CONTINUE;
    const best = bestSoFar(ctx.history.stepsOf(trial.number), step, ctx.direction);
    const mid = median(others);
    if (!isRankable(best) && isRankable(value)) return CONTINUE;
    if (isBetter(ctx.direction, mid, best)) {
      return {
        type: 'stop',
        reason: `best value ${fmt(best)} is worse than the median ${fmt(mid)} of ${others.length} complete trials at step ${step}`,
      };
    }
    return CONTINUE;
  }

  private warmupFor(finalStep: number): number {
    const { warmupSteps } = this.options;
    if (warmupSteps !== 'auto') return warmupSteps;
    return Number.isFinite(finalStep) ? Math.ceil(AUTO_WARMUP_SHARE * finalStep) : 0;
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v);
}
