import { pathToFileURL } from 'node:url';
import { describeError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Metrics, Params } from '../core/types.js';
import type { Reporter, TrialOutcome } from './protocol.js';
import { checkTimeLimit, TrialTimeoutError, type TimeLimit } from './time-limit.js';

/** What an objective gets besides its parameters. */
export interface ObjectiveContext {
  readonly trialNumber: number;
  readonly seed: number;
  /** The trial's own seeded stream: use it for any randomness so the trial can be repeated. */
  readonly rng: Rng;
  /**
   * Reports an intermediate value (or several metrics) at a step; await it before asking `shouldStop()`. Rejects
   * once the trial is past `search.trialTimeoutSeconds`, which ends it as timed out.
   */
  report(step: number, value: number | Metrics): Promise<void>;
  /** True once the scheduler has decided this trial should stop early. */
  shouldStop(): boolean;
}

/**
 * A user objective: parameters in, one number out (lower or higher is better as the study's direction says).
 *
 * @example const branin: ObjectiveFunction<{ x: number; y: number }> = ({ x, y }) => (y - x * x) ** 2;
 */
// biome-ignore lint/suspicious/noExplicitAny: `unknown` would refuse every typed objective (parameters are contravariant).
export type ObjectiveFunction<P = any> = (params: P, ctx: ObjectiveContext) => number | Promise<number>;

/** The task fields an objective runs from. */
interface ObjectiveTask {
  readonly trialNumber: number;
  readonly seed: number;
  readonly params: Params;
  readonly timeLimit?: TimeLimit;
}

/** Runs an objective to an outcome; never throws. `backend` names where it ran (`inline` or `worker`). */
export async function runObjective(
  objective: ObjectiveFunction,
  task: ObjectiveTask,
  reporter: Reporter,
  backend: string,
): Promise<TrialOutcome> {
  let stopped = false;
  let lastStep = -1;
  let lastMetrics: Metrics = {};
  const ctx: ObjectiveContext = {
    trialNumber: task.trialNumber,
    seed: task.seed,
    rng: new Rng(task.seed),
    async report(step, value) {
      const metrics = typeof value === 'number' ? { value } : value;
      lastStep = step;
      lastMetrics = metrics;
      const decision = await reporter.report(step, metrics);
      stopped ||= decision.stop;
      checkTimeLimit(task.timeLimit, { step });
    },
    shouldStop: () => stopped,
  };
  try {
    const value = await objective(task.params, ctx);
    if (typeof value !== 'number') {
      return { type: 'failed', reason: `objective returned ${typeof value}, expected a number`, backend };
    }
    if (Number.isNaN(value)) return { type: 'failed', reason: 'objective returned NaN', backend };
    if (stopped) return { type: 'pruned', step: lastStep, value, metrics: { ...lastMetrics, value }, backend };
    return { type: 'complete', value, metrics: { value }, backend };
  } catch (error) {
    if (error instanceof TrialTimeoutError) return { type: 'failed', reason: error.message, backend };
    return { type: 'failed', reason: `objective threw: ${describeError(error)}`, backend };
  }
}

const modules = new Map<string, Promise<ObjectiveFunction>>();

/** Imports a user's objective module once per thread; its default export must be the objective function. */
export function loadObjectiveModule(path: string): Promise<ObjectiveFunction> {
  let loaded = modules.get(path);
  if (!loaded) {
    loaded = import(pathToFileURL(path).href).then((mod: { default?: unknown }) => {
      if (typeof mod.default !== 'function') {
        throw new Error(`${path}: the default export must be a function (params, ctx) => number`);
      }
      return mod.default as ObjectiveFunction;
    });
    modules.set(path, loaded);
  }
  return loaded;
}

/** Runs a module task; a module that fails to load fails the trial, not the study. */
export async function runModuleTask(
  task: ObjectiveTask & { readonly module: string },
  reporter: Reporter,
  backend: string,
): Promise<TrialOutcome> {
  let objective: ObjectiveFunction;
  try {
    objective = await loadObjectiveModule(task.module);
  } catch (error) {
    return { type: 'failed', reason: `cannot load objective module: ${describeError(error)}`, backend };
  }
  return runObjective(objective, task, reporter, backend);
}
