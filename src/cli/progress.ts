import cliProgress from 'cli-progress';
import type { Study } from '../controller/study.js';
import { formatValue } from './format.js';
import { RunningTrials } from './running-trials.js';

/** How often, without a terminal, each long-running trial gets a line of its own. */
export const RUNNING_LINE_EVERY_MS = 30_000;

/** Where progress goes; every field has the CLI's default, and tests replace them. */
export interface ProgressOptions {
  /** A live bar (true) or plain lines (false); default: whether stdout is a terminal. */
  readonly tty?: boolean;
  /** Plain lines are written here; default `console.log`. */
  readonly print?: (line: string) => void;
  /** The live bar is drawn here; default stderr. */
  readonly stream?: NodeJS.WritableStream;
  /** Default {@link RUNNING_LINE_EVERY_MS}. */
  readonly runningLineEveryMs?: number;
}

/**
 * Shows a study's progress: on a terminal a live bar with the epoch of each running trial; otherwise (CI logs,
 * pipes) one plain line per finished trial, and for a trial running longer than `runningLineEveryMs` a line with
 * its epoch and best value so far at most that often, so a long trial is never silent.
 */
export function attachProgress(study: Study, options: ProgressOptions = {}): void {
  const print = options.print ?? ((line: string) => console.log(line));
  // The baselines run besides `search.trials`, and are counted among the trials done.
  const total = study.trialBudget;
  const counts = { done: study.trials.filter((t) => t.state !== 'running' && t.state !== 'waiting').length, running: 0, failed: 0 };
  const metric = study.config.objective.metric;
  const running = new RunningTrials(study);
  const bestText = () => formatValue(study.best?.values?.[0]);
  print(`study "${study.name}": ${total} trials, ${study.config.search.parallelism} at a time, ${metric} (${study.directions[0]})`);

  if (!(options.tty ?? process.stdout.isTTY)) {
    study.events.on('trialEnd', ({ trial }) => {
      counts.done++;
      const outcome =
        trial.state === 'failed' ? `failed: ${trial.failReason}` : `${trial.state} ${metric}=${formatValue(trial.values?.[0])}`;
      const seconds = trial.finishedAt && trial.startedAt ? ` ${((trial.finishedAt - trial.startedAt) / 1000).toFixed(1)}s` : '';
      print(`[${counts.done}/${total}] trial ${trial.number} ${outcome}${seconds} (${trial.backend ?? '-'}) best=${bestText()}`);
    });
    const line = (trial: string) => `[${counts.done}/${total}] running ${trial} (best=${bestText()})`;
    printLongRunning(study, running, options.runningLineEveryMs ?? RUNNING_LINE_EVERY_MS, (trial) => print(line(trial)));
    return;
  }

  const bar = new cliProgress.SingleBar(
    {
      // The running trials come last: on a narrow terminal they are what gets cut.
      format: ' {bar} {value}/{total} trials | running {running} | failed {failed} | best {best}{epochs}',
      hideCursor: true,
      ...(options.stream ? { stream: options.stream } : {}),
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = () => {
    const epochs = running.summary();
    return { running: counts.running, failed: counts.failed, best: bestText(), epochs: epochs ? ` | ${epochs}` : '' };
  };
  bar.start(total, Math.min(counts.done, total), payload());
  const redraw = () => bar.update(payload());
  study.events.on('trialStart', () => {
    counts.running++;
    redraw();
  });
  study.events.on('trialEpoch', redraw);
  study.events.on('trialReport', redraw);
  study.events.on('trialEnd', ({ trial }) => {
    counts.running--;
    if (trial.state === 'failed') counts.failed++;
    bar.increment(payload());
  });
  study.events.on('studyEnd', () => bar.stop());
}

/** Every `everyMs`, a line for each trial that has been running at least that long; stops with the study. */
function printLongRunning(study: Study, running: RunningTrials, everyMs: number, print: (trial: string) => void): void {
  const timer = setInterval(() => {
    const now = Date.now();
    for (const trial of running.list()) if (now - trial.startedAt >= everyMs) print(running.describe(trial, now));
  }, everyMs);
  // The display must never keep a finished CLI alive.
  timer.unref();
  study.events.on('studyEnd', () => clearInterval(timer));
}
