import { duplicatesAvoidedOf } from '../core/annotations.js';
import type { TrialRecord } from '../core/types.js';

export { DUPLICATES_AVOIDED } from '../core/annotations.js';

/**
 * How many suggested configurations a study did not run because an earlier trial already had them (the sum of
 * its trials' `duplicates_avoided`), and how many trials were resampled for that reason.
 *
 * @example duplicatesAvoided(study.trials) // { candidates: 17, trials: 9 }
 */
export function duplicatesAvoided(trials: readonly TrialRecord[]): { readonly candidates: number; readonly trials: number } {
  let candidates = 0;
  let resampled = 0;
  for (const trial of trials) {
    const count = duplicatesAvoidedOf(trial);
    if (count <= 0) continue;
    candidates += count;
    resampled++;
  }
  return { candidates, trials: resampled };
}
