import type { Metrics } from '../core/types.js';
import { runModuleTask, runObjective, type ObjectiveFunction } from './objective.js';
import type { Reporter, TrialOutcome, TrialTask } from './protocol.js';
import { abortReason, trialSignal, type RunHooks, type Runner } from './runner.js';

/**
 * Runs trials in this thread: for inline objective functions (which cannot cross threads), tests and debugging.
 * A timeout ends the trial as failed but cannot interrupt synchronous work already under way.
 *
 * @example const runner = new InlineRunner(({ x }) => x * x);
 */
export class InlineRunner implements Runner {
  readonly name = 'inline';

  constructor(private readonly objective?: ObjectiveFunction) {}

  async run(task: TrialTask, hooks: RunHooks): Promise<TrialOutcome> {
    const reporter: Reporter = { report: (step: number, metrics: Metrics) => hooks.onReport(step, metrics) };
    const work = this.start(task, reporter);
    const signal = trialSignal(hooks);
    if (!signal) return work;
    if (signal.aborted) return { type: 'failed', reason: abortReason(signal, hooks) };
    return new Promise<TrialOutcome>((resolve) => {
      const onAbort = () => resolve({ type: 'failed', reason: abortReason(signal, hooks) });
      signal.addEventListener('abort', onAbort, { once: true });
      void work.then((outcome) => {
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      });
    });
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
