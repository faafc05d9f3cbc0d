import { median } from '../maths/stats.js';
import { bestSoFar, better, CONTINUE, type Decision, type Scheduler, type SchedulerContext } from './scheduler.js';
import type { TrialRecord } from '../core/types.js';

export interface MedianOptions {
  /** Complete trials needed before any trial is stopped. */
  readonly startupTrials: number;
  /** A trial is never stopped at or before this step. */
  readonly warmupSteps: number;
  /** Decide only every `interval` steps after the warm-up. */
  readonly interval: number;
}

export const MEDIAN_DEFAULTS: MedianOptions = { startupTrials: 5, warmupSteps: 0, interval: 1 };

/**
 * Median stopping, as Optuna's MedianPruner: stop a trial whose best value so far is worse than the median of
 * the values complete trials reported at the same step.
 *
 * @example new MedianScheduler({ startupTrials: 5, warmupSteps: 2 })
 */
export class MedianScheduler implements Scheduler {
  readonly name = 'median';
  readonly options: MedianOptions;

  constructor(options: Partial<MedianOptions> = {}) {
    this.options = { ...MEDIAN_DEFAULTS, ...options };
  }

  onReport(trial: TrialRecord, step: number, value: number, ctx: SchedulerContext): Decision {
    const { startupTrials, warmupSteps, interval } = this.options;
    if (step <= warmupSteps || (step - warmupSteps - 1) % interval !== 0) return CONTINUE;
    const complete = new Set(ctx.trials.filter((t) => t.state === 'complete').map((t) => t.number));
    if (complete.size < startupTrials) return CONTINUE;
    const others = [...ctx.history.valuesAt(step)].filter(([n, v]) => complete.has(n) && !Number.isNaN(v)).map(([, v]) => v);
    if (others.length === 0) return CONTINUE;
    const best = bestSoFar(ctx.history.stepsOf(trial.number), step, ctx.direction);
    const mid = median(others);
    if (Number.isNaN(best) && !Number.isNaN(value)) return CONTINUE;
    if (Number.isNaN(best) || better(mid, best, ctx.direction)) {
      return { type: 'stop', reason: `best value ${fmt(best)} is worse than the median ${fmt(mid)} of complete trials at step ${step}` };
    }
    return CONTINUE;
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v);
}
