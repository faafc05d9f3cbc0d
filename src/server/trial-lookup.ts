import type { TrialRecord } from '../core/types.js';
import type { Storage } from '../storage/storage.js';

/** The study's trial with this number, or null. */
export async function trialByNumber(storage: Storage, studyId: number, number: number): Promise<TrialRecord | null> {
  // Numbers are dense from 0, so trial n is at offset n in number order.
  const { trials } = await storage.pageTrials(studyId, { sort: 'number', order: 'asc', offset: number, limit: 1 });
  return trials.find((t) => t.number === number) ?? null;
}
