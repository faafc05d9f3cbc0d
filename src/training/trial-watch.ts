import type { Metrics } from '../core/types.js';
import type { Reporter, TrialTask } from './protocol.js';
import type { RunHooks } from './runner.js';
import { startTimeLimit, TIMEOUT_GRACE_MS, timedOutReason, type TimeLimit, type TrialProgress } from './time-limit.js';

/**
 * What may end a running trial from outside — the caller's signal, or its time limit plus the grace — and how far
 * the trial got, so that a trial stopped from outside is described as one that stopped itself would be.
 *
 * The timeout is a timer held here rather than `AbortSignal.timeout`: on Node 20 a timeout signal reachable only
 * through `AbortSignal.any` is garbage-collected and never fires, which is how a trained-model trial of a study
 * run with a Ctrl-C signal outlived `trialTimeoutSeconds` (a long trial always sees a garbage collection).
 *
 * @example const watch = new TrialWatch(hooks); try { … watch.signal … } finally { watch.dispose(); }
 */
export class TrialWatch {
  /** Aborts when the trial must be stopped; undefined when nothing can stop it. */
  readonly signal: AbortSignal | undefined;
  readonly timeLimit: TimeLimit | undefined;
  /** Reports go through here on their way to the controller, so the watch knows the epoch under way. */
  readonly reporter: Reporter;
  private progress: TrialProgress = {};
  private timedOut = false;
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => void) | undefined;

  constructor(hooks: RunHooks) {
    this.reporter = {
      report: (step: number, metrics: Metrics) => {
        this.progress = { ...this.progress, step };
        return hooks.onReport(step, metrics);
      },
      epoch: (epoch: number, epochs: number) => {
        this.progress = { ...this.progress, epoch, epochs };
        hooks.onEpoch?.(epoch, epochs);
      },
    };
    this.timeLimit = hooks.timeoutMs === undefined ? undefined : startTimeLimit(hooks.timeoutMs);
    if (hooks.signal === undefined && this.timeLimit === undefined) {
      this.signal = undefined;
      return;
    }
    const controller = new AbortController();
    this.signal = controller.signal;
    const outer = hooks.signal;
    if (outer?.aborted) controller.abort(outer.reason);
    else if (outer) {
      const forward = () => controller.abort(outer.reason);
      outer.addEventListener('abort', forward, { once: true });
      this.unlisten = () => outer.removeEventListener('abort', forward);
    }
    if (this.timeLimit !== undefined && !controller.signal.aborted) {
      this.timer = setTimeout(
        () => {
          this.timedOut = true;
          controller.abort();
        },
        this.timeLimit.limitMs + (hooks.timeoutGraceMs ?? TIMEOUT_GRACE_MS),
      );
    }
  }

  /** The task with the time limit it checks itself. */
  withTimeLimit<T extends TrialTask>(task: T): T {
    return this.timeLimit === undefined ? task : { ...task, timeLimit: this.timeLimit };
  }

  /** Why the trial was stopped from outside: its time limit, or the caller's abort reason. */
  reason(): string {
    if (this.timedOut && this.timeLimit !== undefined) return timedOutReason(this.timeLimit.limitMs, this.progress);
    const reason: unknown = this.signal?.reason;
    if (reason instanceof Error) return `aborted: ${reason.message}`;
    return reason === undefined ? 'aborted' : `aborted: ${String(reason)}`;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unlisten?.();
  }
}
