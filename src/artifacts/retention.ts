import type { TrialRecord } from '../core/types.js';

/**
 * Keeps the artifacts of the `keep` best completed trials and deletes the rest as trials finish, so a long study
 * does not fill the disk (or the database) with models that can no longer matter. Trials listed by `isProtected`
 * (members of a built ensemble) are never deleted. Every process of a study prunes from the same trials in storage
 * through the same store, so a trial trained on one machine is pruned by whichever sees it fall out first; a second
 * delete of the same files is harmless.
 */
export class ArtifactRetention {
  private readonly deleted = new Set<number>();
  private pruning: Promise<void> = Promise.resolve();

  constructor(
    private readonly keep: number,
    private readonly remove: (trial: TrialRecord) => Promise<void>,
    private readonly isProtected: (trialNumber: number) => boolean,
  ) {}

  /**
   * Deletes the files of completed trials ranked below the best `keep` (best first by `ranked`), and of `unfinished`
   * trials that ended without a result (files stored by a process that died before finishing the trial). Calls
   * queue, one after the other; a delete that fails is tried again on the next call.
   */
  prune(ranked: readonly TrialRecord[], unfinished: readonly TrialRecord[] = []): Promise<void> {
    const doomed = [...ranked.slice(this.keep), ...unfinished].filter((t) => !this.deleted.has(t.number) && !this.isProtected(t.number));
    this.pruning = this.pruning.then(async () => {
      for (const trial of doomed) {
        if (this.deleted.has(trial.number)) continue;
        await this.remove(trial);
        this.deleted.add(trial.number);
      }
    });
    const done = this.pruning;
    // The queue goes on after a failure; the caller still hears of it.
    this.pruning = done.catch(() => {});
    return done;
  }

  /** Resolves once every prune asked for so far has run (failed or not). */
  settled(): Promise<void> {
    return this.pruning;
  }
}
