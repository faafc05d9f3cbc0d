import type { Metrics } from '../core/types.js';
import type { TrialOutcome, TrialTask } from './protocol.js';

/** What the controller lends a running trial. */
export interface RunHooks {
  /** Called for each reported step; the answer tells the trial whether to stop. */
  onReport(step: number, metrics: Metrics): Promise<{ readonly stop: boolean }>;
  /** Called as each epoch of a trained model starts, with the number of epochs it may train. */
  onEpoch?(epoch: number, epochs: number): void;
  /** Aborts the trial (study stopped); the outcome is then `failed` with the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * Wall-clock limit for this trial. The trial ends itself at the limit (checked between batches and steps); one
   * that has not ended `timeoutGraceMs` later is stopped (its thread terminated).
   */
  readonly timeoutMs?: number;
  /** Default: `TIMEOUT_GRACE_MS` (src/training/time-limit.ts). */
  readonly timeoutGraceMs?: number;
}

/**
 * Runs one trial to its outcome. Never throws for a failure of the trial itself: a thrown error, NaN, timeout
 * or dead worker comes back as `{ type: 'failed', reason }`. `Task` is the kinds of task it can run: a pool runner
 * is a `Runner<WorkerTask>`, so handing it a function objective does not compile.
 *
 * @example const outcome = await runner.run(task, { onReport: async () => ({ stop: false }) });
 */
export interface Runner<Task extends TrialTask = TrialTask> {
  readonly name: string;
  // A function-typed property, not a method: TypeScript compares method parameters both ways, which would let a
  // Runner<WorkerTask> pass for a Runner<TrialTask>.
  readonly run: (task: Task, hooks: RunHooks) => Promise<TrialOutcome>;
  close(): Promise<void>;
}
