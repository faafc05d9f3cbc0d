import { StorageError } from '../core/errors.js';
import type { StudyRecord, TrialRecord, TrialState } from '../core/types.js';
import { emptyCounts, TRIAL_STATES, type Changes, type Storage } from '../storage/storage.js';

/** One look at a study's change feed: the study as it is now (null once deleted) and its trials changed after a mark. */
export interface FeedRead {
  readonly study: StudyRecord | null;
  readonly changes: Changes<TrialRecord>;
}

/**
 * Reads of studies' change feeds, one per (study, mark) per `maxAgeMs` however many streams ask: streams that have
 * seen the same changes hold the same mark, so 100 tabs following one study cost one read per poll, and each read
 * costs what changed since the mark (the study's row and the changed trials), not the study's size.
 */
export function sharedFeedReads(storage: Storage, maxAgeMs: number): (name: string, studyId: number, mark: number) => Promise<FeedRead> {
  const cache = new Map<string, Promise<FeedRead>>();
  return (name, studyId, mark) => {
    const key = `${studyId}:${mark}`;
    let read = cache.get(key);
    if (!read) {
      read = readFeed(storage, name, studyId, mark);
      cache.set(key, read);
      // Dropped after maxAgeMs (or at once on failure), so marks nobody holds any more keep no memory.
      const forget = () => void setTimeout(() => cache.get(key) === read && cache.delete(key), maxAgeMs).unref();
      read.then(forget, () => cache.delete(key));
    }
    return read;
  };
}

async function readFeed(storage: Storage, name: string, studyId: number, mark: number): Promise<FeedRead> {
  const unchanged = { items: [], seq: mark };
  const study = await storage.findStudy(name);
  // A study deleted and created again under its name is another study: its feed is not this one's.
  if (!study || study.id !== studyId) return { study: null, changes: unchanged };
  try {
    return { study, changes: await storage.listTrialsChangedSince(studyId, mark) };
  } catch (error) {
    if (error instanceof StorageError && /^no study/.test(error.message)) return { study: null, changes: unchanged };
    throw error;
  }
}

const STATE_CODES = new Map(TRIAL_STATES.map((s, i) => [s, i + 1]));

/**
 * A study's trial counts per state, kept up to date from the trials as they change, so an update costs the changes,
 * not a count over the study. Trial numbers are dense, so a byte per trial remembers each one's last state.
 */
export class TrialCounts {
  private states = new Uint8Array(64);
  private readonly counts = emptyCounts();

  apply(trials: readonly TrialRecord[]): void {
    for (const t of trials) {
      if (t.number >= this.states.length) this.grow(t.number + 1);
      const was = this.states[t.number] as number;
      if (was > 0) this.counts[TRIAL_STATES[was - 1] as TrialState]--;
      this.counts[t.state]++;
      this.states[t.number] = STATE_CODES.get(t.state) as number;
    }
  }

  current(): Readonly<Record<TrialState, number>> {
    return { ...this.counts };
  }

  private grow(size: number): void {
    const bigger = new Uint8Array(Math.max(size, this.states.length * 2));
    bigger.set(this.states);
    this.states = bigger;
  }
}
