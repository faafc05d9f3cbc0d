import { rankableValue } from '../../core/rank.js';
import type { StudyRecord, TrialRecord } from '../../core/types.js';
import type { Storage } from '../../storage/storage.js';

/**
 * The best complete trial as `bestTrial` in `core/rank.ts` picks it, sorted by storage instead of reading every
 * trial: storage sorts non-finite values as missing, after every value, and ties by trial number, so its first row
 * is that trial.
 */
export async function loadBestTrial(storage: Storage, study: StudyRecord): Promise<TrialRecord | null> {
  const order = (study.directions[0] ?? 'minimize') === 'maximize' ? 'desc' : 'asc';
  const { trials } = await storage.pageTrials(study.id, { states: ['complete'], sort: 'value', order, offset: 0, limit: 1 });
  const best = trials[0];
  return best && rankableValue(best) !== null ? best : null;
}
