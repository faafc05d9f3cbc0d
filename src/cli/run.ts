import { resolve } from 'node:path';
import { runStudy } from '../api/autotune.js';
import { validateStudy } from '../api/validate-study.js';
import { openStorage } from '../storage/open.js';
import { EXIT_INTERRUPTED, listenForInterrupts } from './interrupts.js';
import { printRunSummary } from './run-summary.js';
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

/** `autotune run <study.json>`: validates everything before opening the database, then searches. */
export async function runCommand(file: string, flags: RunFlags): Promise<void> {
  // Validated before the dashboard or the study opens the database, so bad input leaves no file behind.
  const validated = validateStudy(file, { search: { trials: flags.trials, parallelism: flags.parallelism, seed: flags.seed } });
  const { config } = validated;
  // Opened before the dashboard, so a storage path that cannot hold a database is one error, not a warning and then
  // the same error.
  const storage = await openStorage(flags.storage);
  const interrupts = listenForInterrupts(flags.grace ?? 30);
  const dashboard = flags.dashboard ? await startDashboardBeside(flags.storage, flags.dashboard === true ? 8787 : flags.dashboard) : null;
  try {
    const result = await runStudy(validated, {
      storage,
      signal: interrupts.abort,
      drain: interrupts.drain,
      ...(flags.artifacts ? { artifacts: resolve(flags.artifacts) } : {}),
      onStudy: (study) => {
        printResumeNotice(study);
        if (!flags.quiet) attachProgress(study);
      },
    });
    printRunSummary(result, config);
    if (interrupts.interrupted()) process.exitCode = EXIT_INTERRUPTED;
  } finally {
    interrupts.dispose();
    await storage.close();
  }
  // Only someone at a terminal can look at it; scripts and CI get their exit.
  if (dashboard && !interrupts.interrupted() && process.stdout.isTTY) {
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
