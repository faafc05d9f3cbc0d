/**
 * A study's change sequence in memory, read as a database reads its indexed sequence column: each change is
 * appended with the next number, and a read from `since` binary-searches the log, so it costs what changed after
 * `since`, not the study's size. A trial (or step) changed twice is listed once, at its latest change: an entry
 * whose item has changed since is skipped.
 */
export class ChangeLog {
  private current = 0;
  private readonly trialLog: { readonly seq: number; readonly trialId: number }[] = [];
  private readonly stepLog: { readonly seq: number; readonly trialId: number; readonly step: number }[] = [];
  private readonly trialSeq = new Map<number, number>();
  private readonly stepSeq = new Map<string, number>();

  /** The latest change sequence number (0 before any change). */
  get seq(): number {
    return this.current;
  }

  /** One write: the trial changed, and recorded `step` if given. Both take the same new number. */
  record(trialId: number, step?: number): void {
    const seq = ++this.current;
    this.trialLog.push({ seq, trialId });
    this.trialSeq.set(trialId, seq);
    if (step === undefined) return;
    this.stepLog.push({ seq, trialId, step });
    this.stepSeq.set(`${trialId}:${step}`, seq);
  }

  /** Ids of the trials changed after `since`, in change order. */
  trialsSince(since: number): number[] {
    return this.trialLog.slice(firstAfter(this.trialLog, since)).filter((e) => this.trialSeq.get(e.trialId) === e.seq).map((e) => e.trialId);
  }

  /** [trial id, step] of the steps recorded after `since`, in change order. */
  stepsSince(since: number): [number, number][] {
    return this.stepLog
      .slice(firstAfter(this.stepLog, since))
      .filter((e) => this.stepSeq.get(`${e.trialId}:${e.step}`) === e.seq)
      .map((e) => [e.trialId, e.step]);
  }
}

/** Index of the first entry with a sequence number above `since` (entries are in increasing order). */
function firstAfter(log: readonly { readonly seq: number }[], since: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((log[mid] as { seq: number }).seq <= since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
