import { describeError } from '../core/errors.js';
import { runModuleTask, runObjective, type ObjectiveFunction } from './objective.js';
import type { Reporter, TrialOutcome, TrialTask } from './protocol.js';
import type { RunHooks, Runner } from './runner.js';
import { TrialWatch } from './trial-watch.js';

/**
 * Runs trials in this thread: for inline objective functions (which cannot cross threads), tests and debugging.
 * Trials check their time limit themselves; one that has not ended within the grace is failed as timed out, but
 * synchronous work already under way cannot be interrupted in this thread.
 *
 * @example const runner = new InlineRunner(({ x }) => x * x);
 */
export class InlineRunner implements Runner {
  readonly name = 'inline';

  constructor(private readonly objective?: ObjectiveFunction) {}

  async run(task: TrialTask, hooks: RunHooks): Promise<TrialOutcome> {
    const watch = new TrialWatch(hooks);
    const signal = watch.signal;
    // Checked before starting: a trial aborted already must not run at all.
    if (signal?.aborted) {
      watch.dispose();
      return { type: 'failed', reason: watch.reason() };
    }
    const work = this.start(watch.withTimeLimit(task), watch.reporter).catch(
      (error: unknown): TrialOutcome => ({ type: 'failed', reason: describeError(error) }),
    );
    if (!signal) return work.finally(() => watch.dispose());
    return new Promise<TrialOutcome>((resolve) => {
      const onAbort = () => resolve({ type: 'failed', reason: watch.reason() });
      signal.addEventListener('abort', onAbort, { once: true });
      void work.then((outcome) => {
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      });
    }).finally(() => watch.dispose());
  }

  private start(task: TrialTask, reporter: Reporter): Promise<TrialOutcome> {
    switch (task.kind) {
      case 'function':
        if (!this.objective) return Promise.resolve({ type: 'failed', reason: 'no objective function was given' });
        return runObjective(this.objective, task, reporter, 'inline');
      case 'module':
        return runModuleTask(task, reporter, 'inline');
      case 'train':
        // Loaded on demand: TensorFlow.js takes a while to import, and the controller thread rarely needs it.
        return import('./train-trial.js').then(({ trainTrial }) => trainTrial(task, reporter));
    }
  }

  async close(): Promise<void> {}
}
