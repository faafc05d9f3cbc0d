import { setTimeout as sleep } from 'node:timers/promises';
import { StudyFailedError } from '../core/errors.js';
import type { Params, TrialRecord } from '../core/types.js';
import type { TrialOutcome, TrialTask } from '../training/protocol.js';
import type { Runner } from '../training/runner.js';
import { Budget } from './budget.js';
import type { StopReason } from './events.js';
import type { Study } from './study.js';

const HEARTBEAT_MS = 10_000;
/** Heartbeats per stale grace: a live trial is written several times before anyone may call it abandoned. */
const BEATS_PER_GRACE = 4;
const WAIT_POLL_MS = 500;

export interface SearchOptions<Task extends TrialTask = TrialTask> {
  /** Builds the task a trial runs (training, a module, an inline function): one the runner can run. */
  readonly taskFor: (trial: TrialRecord, params: Params) => Task;
  /** Aborting stops new trials and ends running ones as failed. */
  readonly signal?: AbortSignal;
  /** Aborting stops new trials and lets running ones finish (a first Ctrl-C). */
  readonly drain?: AbortSignal;
  /**
   * How often running trials' heartbeats are written and a stop requested through storage is looked for; default:
   * 10 s, or a quarter of `search.staleAfterSeconds` when that is shorter.
   */
  readonly heartbeatMs?: number;
  /**
   * How long past `search.trialTimeoutSeconds` a trial may take to end itself before its thread is terminated;
   * default `TIMEOUT_GRACE_MS` (10 s).
   */
  readonly timeoutGraceMs?: number;
}

/** How a search loop ended. */
export interface SearchSummary {
  readonly reason: StopReason;
  readonly best: TrialRecord | null;
}

/**
 * The search loop: keeps `parallelism` trials running, routes their reports through the scheduler, records their
 * outcomes, and stops on the first budget that runs out. One trial's failure is recorded and the search goes on;
 * only `maxConsecutiveFailures` failures in a row fail the study.
 *
 * Processes may share a study: the trial budget is counted in storage, and a process whose budget is spent waits
 * for the study's other running trials, so that a trial left by a process that died is failed after
 * `search.staleAfterSeconds` and retried here. Every process thus ends with the whole study finished.
 *
 * @example const { reason, best } = await runSearch(study, runner, { taskFor });
 */
export async function runSearch<Task extends TrialTask>(
  study: Study,
  runner: Runner<Task>,
  options: SearchOptions<Task>,
): Promise<SearchSummary> {
  const search = study.config.search;
  const budget = new Budget(search, (value) => !study.isBetter(search.targetValue as number, value));
  const running = new Map<number, Promise<void>>();
  const beatMs = options.heartbeatMs ?? Math.min(HEARTBEAT_MS, (search.staleAfterSeconds * 1000) / BEATS_PER_GRACE);
  let reason: StopReason | null = null;

  // A stop can come from another process (the dashboard marks the study `stopped`); it is noticed here.
  let stoppedElsewhere = false;
  const heartbeat = setInterval(() => {
    for (const id of running.keys()) void study.storage.heartbeat(id).catch(() => undefined);
    void study.storage
      .getStudy(study.id)
      .then((record) => {
        if (record.state === 'stopped') stoppedElsewhere = true;
      })
      .catch(() => undefined);
  }, beatMs);
  heartbeat.unref();
  const stopping = () => options.signal?.aborted || options.drain?.aborted || stoppedElsewhere;

  const start = async (): Promise<boolean> => {
    // Baselines are outside `search.trials`: the study holds that many searched trials besides them.
    const asked = await study.ask({ maxTrials: study.trialBudget });
    if (!asked) return false;
    const { trial, params } = asked;
    const done = runTrial(study, runner, trial, options.taskFor(trial, params), options).then((finished) => {
      budget.record(finished);
      running.delete(trial.id);
    });
    running.set(trial.id, done);
    return true;
  };

  // Why no trial may start now, after starting one when one may.
  const next = async (): Promise<StopReason | null> => {
    if (stopping()) return 'aborted';
    // The count as of this controller's last read of storage, not a count query: storage itself refuses a trial
    // past the budget (`maxTrials`), so the count only picks the reason, and on a server a query per trial costs a
    // round trip. A budget spent elsewhere since that read shows as `start` finding no room, counted below.
    const stop = budget.stopReason(study.searchedTrialCount, study.best);
    // 'trials' still lets `ask` hand out a queued retry.
    if (stop !== null && stop !== 'trials') return stop;
    if (await start()) return null;
    return stop ?? ((await study.storage.countTrials(study.id)) >= study.trialBudget ? 'trials' : 'exhausted');
  };

  // With the budget spent, trials still running belong to other processes, live or dead.
  const othersUnfinished = async (): Promise<boolean> =>
    (reason === 'trials' || reason === 'exhausted') &&
    !stopping() &&
    (await study.storage.countTrials(study.id, { states: ['running', 'waiting'] })) > 0;

  try {
    for (;;) {
      while (reason === null && running.size < search.parallelism) reason = await next();
      if (running.size > 0) {
        await Promise.race(running.values());
        if (reason === null) reason = budget.stopReason(study.searchedTrialCount, study.best) === 'failures' ? 'failures' : null;
        continue;
      }
      if (!(await othersUnfinished())) break;
      const wake = [options.signal, options.drain].filter((s) => s !== undefined);
      // Polled more often than heartbeats are written: waiting on a live process should end soon after it does.
      await sleep(Math.min(beatMs, WAIT_POLL_MS), undefined, wake.length > 0 ? { signal: AbortSignal.any(wake) } : {}).catch(
        () => undefined,
      );
      await study.reapStale();
      reason = null;
    }
  } finally {
    clearInterval(heartbeat);
    await Promise.allSettled(running.values());
  }

  const finalReason = reason ?? 'trials';
  const state = finalReason === 'failures' ? 'failed' : finalReason === 'aborted' ? 'stopped' : 'complete';
  await study.storage.setStudyState(study.id, state);
  study.events.emit('studyEnd', { reason: finalReason, state });
  return { reason: finalReason, best: study.best };
}

async function runTrial<Task extends TrialTask>(
  study: Study,
  runner: Runner<Task>,
  trial: TrialRecord,
  task: Task,
  options: SearchOptions<Task>,
): Promise<TrialRecord> {
  const timeoutSeconds = study.config.search.trialTimeoutSeconds;
  let outcome: TrialOutcome;
  try {
    outcome = await runner.run(task, {
      onReport: async (step, metrics) => {
        const decision = await study.report(trial, step, metrics);
        return { stop: decision.type === 'stop' };
      },
      onEpoch: (epoch, epochs) => study.events.emit('trialEpoch', { trial, epoch, epochs }),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(timeoutSeconds !== undefined ? { timeoutMs: timeoutSeconds * 1000 } : {}),
      ...(options.timeoutGraceMs !== undefined ? { timeoutGraceMs: options.timeoutGraceMs } : {}),
    });
  } catch (error) {
    // Runners report failures as outcomes; reaching here means the runner itself broke.
    outcome = { type: 'failed', reason: `runner error: ${(error as Error).message}` };
  }
  return study.tell(trial, outcome);
}

/** Throws when a search ended without a single complete trial, listing the first failure reasons. */
export function requireBest(study: Study, summary: SearchSummary): TrialRecord {
  if (summary.best) return summary.best;
  const reasons = [...new Set(study.trials.filter((t) => t.state === 'failed').map((t) => t.failReason))].slice(0, 3);
  // Complete trials whose values are all infinite exist but are never ranked (core/rank.ts): say so.
  const unranked = study.trials.some((t) => t.state === 'complete') ? ' with a finite value' : '';
  throw new StudyFailedError(
    `study "${study.name}" has no complete trial${unranked} (stopped: ${summary.reason})` +
      (reasons.length > 0 ? `; failures: ${reasons.join(' | ')}` : ''),
  );
}
