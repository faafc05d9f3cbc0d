import { summarizeChanges } from '../controller/definition.js';
import type { Study } from '../controller/study.js';

/**
 * Tells a user who ran a study again what this run does: that the file's current `search` settings apply (and
 * which of them changed), and the trial budget left. A spent budget is a warning: the run would otherwise end at
 * once with the old best and no sign of why.
 */
export function printResumeNotice(study: Study): void {
  const resumed = study.resumed;
  if (!resumed) return;
  const settings =
    resumed.searchChanges.length > 0
      ? `this run's search settings apply (${summarizeChanges(resumed.searchChanges)})`
      : 'search settings unchanged';
  console.log(`resuming study "${study.name}" (${resumed.trials} trials so far); ${settings}`);
  const total = study.config.search.trials;
  if (resumed.trials >= total) {
    console.error(
      `autotune: study "${study.name}" already has ${resumed.trials} trials and search.trials = ${total} counts the study's total, so no new trial will run; raise search.trials (or --trials) to continue it`,
    );
  } else console.log(`budget: search.trials = ${total} in total, ${total - resumed.trials} to go`);
}
