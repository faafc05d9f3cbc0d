import type { TrialRecord } from '../core/types.js';
import type { SearchConfig } from '../space/schema.js';
import type { StopReason } from './events.js';

/**
 * The search's stop conditions, checked before each new trial. Trials already in the study (a resumed run) count
 * toward `trials`; `timeoutSeconds` counts from this run's start and lets running trials finish, as Optuna does.
 */
export class Budget {
  private consecutiveFailures = 0;
  private readonly startedAt = performance.now();

  constructor(
    private readonly search: SearchConfig,
    private readonly isAtLeastTarget: (value: number) => boolean,
  ) {}

  /** Call when a trial ends, in the order they end. */
  record(trial: TrialRecord): void {
    this.consecutiveFailures = trial.state === 'failed' ? this.consecutiveFailures + 1 : 0;
  }

  /** Why no further trial may start, or null if one may. */
  stopReason(trialsSoFar: number, best: TrialRecord | null): StopReason | null {
    if (this.consecutiveFailures >= this.search.maxConsecutiveFailures) return 'failures';
    const bestValue = best?.values?.[0];
    if (this.search.targetValue !== undefined && bestValue !== undefined && this.isAtLeastTarget(bestValue)) return 'target';
    if (trialsSoFar >= this.search.trials) return 'trials';
    if (this.search.timeoutSeconds !== undefined && (performance.now() - this.startedAt) / 1000 >= this.search.timeoutSeconds) {
      return 'timeout';
    }
    return null;
  }
}
