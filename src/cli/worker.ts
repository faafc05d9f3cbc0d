import { runStudy } from '../api/autotune.js';
import type { Study } from '../controller/study.js';
import { openExisting } from './inspect.js';
import { EXIT_INTERRUPTED, listenForInterrupts } from './interrupts.js';
import { planJoin, type JoinRequest } from './join-study.js';
import { attachProgress } from './progress.js';
import { printRunSummary } from './run-summary.js';

export interface WorkerFlags extends JoinRequest {
  readonly storage: string;
  readonly quiet?: boolean;
  readonly grace?: number;
}

/**
 * `autotune worker --storage URL --study NAME`: runs trials of a study another machine created, from the definition
 * stored with it, until the study's budget is spent. Every check is made before anything is written.
 */
export async function workerCommand(flags: WorkerFlags): Promise<void> {
  // An existing database only: a mistyped SQLite path must not leave an empty database behind.
  const storage = await openExisting(flags.storage);
  try {
    const plan = await planJoin(storage, flags);
    const interrupts = listenForInterrupts(flags.grace ?? 30);
    try {
      const result = await runStudy(plan.validated, {
        storage,
        signal: interrupts.abort,
        drain: interrupts.drain,
        joining: { data: plan.location },
        onStudy: (study) => {
          printJoinNotice(study);
          if (!flags.quiet) attachProgress(study);
        },
      });
      printRunSummary(result, plan.validated.config);
      if (interrupts.interrupted()) process.exitCode = EXIT_INTERRUPTED;
    } finally {
      interrupts.dispose();
    }
  } finally {
    await storage.close();
  }
}

function printJoinNotice(study: Study): void {
  const { trials, parallelism } = study.config.search;
  const soFar = study.resumed?.trials ?? 0;
  const left = soFar >= trials ? 'its budget is spent, so no new trial will run here' : `${trials - soFar} to go`;
  console.log(
    `joining study "${study.name}" (${soFar} trials so far; search.trials = ${trials} in total, ${left}), ${parallelism} at a time here`,
  );
}
