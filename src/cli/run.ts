import { resolve } from 'node:path';
import { runStudy } from '../api/autotune.js';
import { validateStudy } from '../api/validate-study.js';
import { openStorage } from '../storage/open.js';
import { formatTestMetrics, formatValue, printTopTrials } from './format.js';
import { printEnsembleOutcome } from './inspect.js';
import { attachProgress } from './progress.js';
import { printResumeNotice } from './resume-notice.js';
import { startDashboard, type RunningDashboard } from './dashboard.js';

interface RunFlags {
  trials?: number;
  parallelism?: number;
  seed?: number;
  storage: string;
  quiet?: boolean;
  grace?: number;
  /** Trial artifacts go here (a share every machine mounts) instead of beside the database or into it. */
  artifacts?: string;
  /** Serve the dashboard beside the study (true: port 8787); on a terminal it keeps serving after the study until Ctrl-C. */
  dashboard?: number | true;
}

/** The shell's convention for a process ended by Ctrl-C. */
const EXIT_INTERRUPTED = 130;

/** `autotune run <study.json>`: validates everything before opening the database, then searches. */
export async function runCommand(file: string, flags: RunFlags): Promise<void> {
  // Validated before the dashboard or the study opens the database, so bad input leaves no file behind.
  const validated = validateStudy(file, { search: { trials: flags.trials, parallelism: flags.parallelism, seed: flags.seed } });
  const { config } = validated;
  // Opened before the dashboard, so a storage path that cannot hold a database is one error, not a warning and then
  // the same error.
  const storage = await openStorage(flags.storage);
  // First Ctrl-C: no new trials, running ones get a grace period, then are stopped; a second exits at once
  // (every write is a transaction, so the database stays consistent).
  const drain = new AbortController();
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT_INTERRUPTED);
    console.error(`\nstopping: no new trials; running trials have ${flags.grace ?? 30} s to finish (Ctrl-C again to quit now)`);
    drain.abort();
    setTimeout(() => abort.abort(new Error('interrupted')), (flags.grace ?? 30) * 1000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const dashboard = flags.dashboard ? await startDashboardBeside(flags.storage, flags.dashboard === true ? 8787 : flags.dashboard) : null;
  try {
    const result = await runStudy(validated, {
      storage,
      signal: abort.signal,
      drain: drain.signal,
      ...(flags.artifacts ? { artifacts: resolve(flags.artifacts) } : {}),
      onStudy: (study) => {
        printResumeNotice(study);
        if (!flags.quiet) attachProgress(study);
      },
    });
    const { best, study } = result;
    console.log(
      `\nstudy "${study.name}" ${study.state} (${study.stopReason}) in ${study.storage}\n` +
        `best: trial ${best.number}, ${config.objective.metric} = ${formatValue(best.value)}`,
    );
    console.log(`params: ${JSON.stringify(best.params)}`);
    const tested = formatTestMetrics(best.metrics);
    if (tested) console.log(`test split: ${tested}`);
    printTopTrials(result.trials, config.objective.direction, 10);
    printEnsembleOutcome(result.ensemble, result.ensembleError);
    if (interrupts > 0) process.exitCode = EXIT_INTERRUPTED;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await storage.close();
  }
  // Only someone at a terminal can look at it; scripts and CI get their exit.
  if (dashboard && interrupts === 0 && process.stdout.isTTY) {
    console.log(`\ndashboard still serving at ${dashboard.url} (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => {
      const stop = () => void dashboard.close().finally(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } else await dashboard?.close();
}

/** The dashboard beside a run; a port in use or in-memory storage only costs a warning, never the study. */
async function startDashboardBeside(storage: string, port: number): Promise<RunningDashboard | null> {
  if (storage.startsWith(':') || storage.startsWith('memory')) {
    console.error('dashboard: needs a database file (--storage), not in-memory storage; running without it');
    return null;
  }
  try {
    const dashboard = await startDashboard({ storage, port, host: '127.0.0.1' });
    console.log(`dashboard: ${dashboard.url}`);
    return dashboard;
  } catch (error) {
    console.error(`${(error as Error).message}; running without the dashboard`);
    return null;
  }
}
