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

  /** One write: the trial changed, and recorded `step` if given. Both take the same new number. */
  record(trialId: number, step?: number): void {
    const seq = ++this.current;
    this.trialLog.push({ seq, trialId });
    this.trialSeq.set(trialId, seq);
    if (step === undefined) return;
    this.stepLog.push({ seq, trialId, step });
    this.stepSeq.set(`${trialId}:${step}`, seq);
  }

  /** A trial deleted (a withdrawn reservation): its entries are no longer listed. */
  forget(trialId: number): void {
    this.trialSeq.delete(trialId);
  }

  /** The trials changed after `since`, each at its latest change, in change order. */
  trialsSince(since: number): readonly { readonly seq: number; readonly trialId: number }[] {
    return this.trialLog.slice(firstAfter(this.trialLog, since)).filter((e) => this.trialSeq.get(e.trialId) === e.seq);
  }

  /** The steps recorded after `since`, each at its latest report, in change order. */
  stepsSince(since: number): readonly { readonly seq: number; readonly trialId: number; readonly step: number }[] {
    return this.stepLog.slice(firstAfter(this.stepLog, since)).filter((e) => this.stepSeq.get(`${e.trialId}:${e.step}`) === e.seq);
  }
}

/** The mark after a read, as every backend gives it: the last change listed, or `since` when none was. */
export function markAfter(entries: readonly { readonly seq: number }[], since: number): number {
  return entries.at(-1)?.seq ?? since;
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
