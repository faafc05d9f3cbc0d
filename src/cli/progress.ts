import cliProgress from 'cli-progress';
import type { Study } from '../controller/study.js';
import { formatValue } from './format.js';

/**
 * Shows a study's progress: a live bar on a terminal, one plain line per finished trial otherwise (CI logs,
 * pipes), so the output stays readable either way.
 */
export function attachProgress(study: Study): void {
  const total = study.config.search.trials;
  const counts = { done: study.trials.filter((t) => t.state !== 'running').length, running: 0, failed: 0 };
  const metric = study.config.objective.metric;
  const bestText = () => formatValue(study.best?.values?.[0]);
  console.log(`study "${study.name}": ${total} trials, ${study.config.search.parallelism} at a time, ${metric} (${study.directions[0]})`);

  if (!process.stdout.isTTY) {
    study.events.on('trialEnd', ({ trial }) => {
      counts.done++;
      const value = trial.state === 'failed' ? `failed: ${trial.failReason}` : `${metric}=${formatValue(trial.values?.[0])}`;
      const seconds = trial.finishedAt && trial.startedAt ? ` ${((trial.finishedAt - trial.startedAt) / 1000).toFixed(1)}s` : '';
      console.log(`[${counts.done}/${total}] trial ${trial.number} ${trial.state} ${value}${seconds} (${trial.backend ?? '-'}) best=${bestText()}`);
    });
    return;
  }

  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {value}/{total} trials | running {running} | failed {failed} | best {best}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, Math.min(counts.done, total), { running: 0, failed: 0, best: bestText() });
  study.events.on('trialStart', () => {
    counts.running++;
    bar.update({ running: counts.running });
  });
  study.events.on('trialEnd', ({ trial }) => {
    counts.running--;
    if (trial.state === 'failed') counts.failed++;
    bar.increment({ running: counts.running, failed: counts.failed, best: bestText() });
  });
  study.events.on('studyEnd', () => bar.stop());
}
