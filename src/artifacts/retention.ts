import { rmSync } from 'node:fs';
import type { TrialRecord } from '../core/types.js';

/**
 * Keeps the artifacts of the `keep` best completed trials and deletes the rest as trials finish, so a long study
 * does not fill the disk with models that can no longer matter. Trials listed by `isProtected` (members of a built
 * ensemble) are never deleted.
 */
export class ArtifactRetention {
  private readonly deleted = new Set<number>();

  constructor(
    private readonly keep: number,
    private readonly dirOf: (trialNumber: number) => string,
    private readonly isProtected: (trialNumber: number) => boolean,
  ) {}

  /** Deletes the directories of completed trials ranked below the best `keep` (best first by `ranked`). */
  prune(ranked: readonly TrialRecord[]): void {
    for (const trial of ranked.slice(this.keep)) {
      if (this.deleted.has(trial.number) || this.isProtected(trial.number)) continue;
      rmSync(this.dirOf(trial.number), { recursive: true, force: true });
      this.deleted.add(trial.number);
    }
  }
}
