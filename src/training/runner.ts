import type { Metrics } from '../core/types.js';
import type { TrialOutcome, TrialTask } from './protocol.js';

/** What the controller lends a running trial. */
export interface RunHooks {
  /** Called for each reported step; the answer tells the trial whether to stop. */
  onReport(step: number, metrics: Metrics): Promise<{ readonly stop: boolean }>;
  /** Aborts the trial (study stopped); the outcome is then `failed` with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Wall-clock limit for this trial. */
  readonly timeoutMs?: number;
}

/**
 * Runs one trial to its outcome. Never throws for a failure of the trial itself: a thrown error, NaN, timeout
 * or dead worker comes back as `{ type: 'failed', reason }`.
 *
 * @example const outcome = await runner.run(task, { onReport: async () => ({ stop: false }) });
 */
export interface Runner {
  readonly name: string;
  run(task: TrialTask, hooks: RunHooks): Promise<TrialOutcome>;
  close(): Promise<void>;
}

/** The signal a trial runs under: the caller's, the timeout's, or both. */
export function trialSignal(hooks: RunHooks): AbortSignal | undefined {
  const signals: AbortSignal[] = [];
  if (hooks.signal) signals.push(hooks.signal);
  if (hooks.timeoutMs !== undefined) signals.push(AbortSignal.timeout(hooks.timeoutMs));
  if (signals.length === 0) return undefined;
  return signals.length === 1 ? signals[0] : AbortSignal.any(signals);
}

/** A readable reason for an aborted trial. */
export function abortReason(signal: AbortSignal, hooks: RunHooks): string {
  const reason: unknown = signal.reason;
  if (reason instanceof DOMException && reason.name === 'TimeoutError' && hooks.timeoutMs !== undefined) {
    return `timed out after ${(hooks.timeoutMs / 1000).toFixed(1)} s`;
  }
  if (reason instanceof Error) return `aborted: ${reason.message}`;
  return reason === undefined ? 'aborted' : `aborted: ${String(reason)}`;
}
