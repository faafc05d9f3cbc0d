import type { TrialRecord } from '../core/types.js';

/** The system attribute of a trial counting the duplicate configurations turned away before its own was found. */
export const DUPLICATES_AVOIDED = 'duplicates_avoided';

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
    const count = trial.systemAttrs[DUPLICATES_AVOIDED];
    if (typeof count !== 'number' || count <= 0) continue;
    candidates += count;
    resampled++;
  }
  return { candidates, trials: resampled };
}
