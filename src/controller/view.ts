import { compareTrials, isRankedTrial } from '../core/rank.js';
import type { Direction, Metrics, TrialRecord, TrialState } from '../core/types.js';
import { isReservation, type Storage } from '../storage/storage.js';
import { StepValues } from './step-history.js';

/**
 * A controller's view of its study, kept in step with storage, the one source of truth: each `sync` reads the
 * storage change feed from where the last one stopped, so it costs what changed since — trials created, claimed,
 * reported or finished by this process or by any other sharing the study, and the steps any of them reported.
 * Opening is a sync from 0, so a resumed or second process rebuilds the same view (and scheduler state).
 */
export class StudyView {
  private readonly byNumber = new Map<number, TrialRecord>();
  private list: readonly TrialRecord[] = [];
  /** Numbers remembered since `list` was last brought up to date. */
  private readonly stale = new Set<number>();
  private bestTrial: TrialRecord | null = null;
  /** Numbers of the trials waiting to be claimed (queued retries), as of the last sync. */
  private readonly waiting = new Set<number>();
  /** Every step's objective value, by trial number and by step: what schedulers decide from. */
  readonly steps = new StepValues();
  private trialMark = 0;
  private stepMark = 0;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: Storage,
    private readonly studyId: number,
    private readonly objectiveValue: (metrics: Metrics) => number,
    private readonly direction: Direction,
  ) {}

  /**
   * Reads what changed since the last sync. Syncs run one after another, each from the mark the previous one
   * left, so changes are applied in storage order; one asked for while another runs starts after it, and so sees
   * every write made before it was asked for.
   */
  sync(): Promise<void> {
    const next = this.pending.then(() => this.pull());
    this.pending = next.catch(() => undefined);
    return next;
  }

  private async pull(): Promise<void> {
    // Steps before trials: every trial a step names is then among the trials read next, so a scheduler never
    // sees a step of a trial it cannot look up.
    const steps = await this.storage.listStepsSince(this.studyId, this.stepMark);
    for (const s of steps.items) this.steps.record(s.trialNumber, s.step, this.objectiveValue(s.metrics));
    this.stepMark = steps.seq;
    const trials = await this.storage.listTrialsChangedSince(this.studyId, this.trialMark);
    for (const trial of trials.items) this.remember(trial);
    this.trialMark = trials.seq;
  }

  /**
   * Takes a trial's newer state, from the feed or from a write of this process. A record older than the one held
   * (a sync that read before this process's own write returned) is ignored: trials only move forward, waiting →
   * running → finished, and a finished trial never changes. A reservation (a number another process, or this one,
   * is still sampling for) is left out until its parameters are written: samplers and schedulers would take it
   * for a trial without parameters. One reaped before it started stays out.
   */
  remember(trial: TrialRecord): void {
    if (isReservation(trial)) return;
    const held = this.byNumber.get(trial.number);
    if (held && STAGE[held.state] > STAGE[trial.state]) return;
    this.byNumber.set(trial.number, trial);
    this.stale.add(trial.number);
    if (trial.state === 'waiting') this.waiting.add(trial.number);
    else this.waiting.delete(trial.number);
    // Trials finish in any order, so an equal value from an earlier trial finishing later still takes the lead.
    if (isRankedTrial(trial) && (this.bestTrial === null || compareTrials(this.direction)(trial, this.bestTrial) < 0))
      this.bestTrial = trial;
  }

  /** Whether a trial was waiting to be claimed at the last sync (another process may have claimed it since). */
  get hasWaiting(): boolean {
    return this.waiting.size > 0;
  }

  /**
   * Every known trial, in number order. Schedulers read it per report and samplers per ask, so after a few changes
   * it is patched (a new array: callers may hold the old one) rather than sorted again, which at 10,000 trials cost
   * more than the ask's storage reads (bench/RESULTS.md, ask latency).
   */
  get trials(): readonly TrialRecord[] {
    if (this.stale.size === 0) return this.list;
    if (this.stale.size > PATCH_LIMIT) this.list = [...this.byNumber.values()].sort((a, b) => a.number - b.number);
    else {
      const list = [...this.list];
      for (const number of this.stale) {
        const at = firstAtOrAfter(list, number);
        const trial = this.byNumber.get(number) as TrialRecord;
        if (list[at]?.number === number) list[at] = trial;
        else list.splice(at, 0, trial);
      }
      this.list = list;
    }
    this.stale.clear();
    return this.list;
  }

  /** Known trials by number: numbers need not be dense in the view, so look trials up here, not by list index. */
  get trialsByNumber(): ReadonlyMap<number, TrialRecord> {
    return this.byNumber;
  }

  /** The best known trial, as `bestTrial` in `core/rank.ts` picks it. */
  get best(): TrialRecord | null {
    return this.bestTrial;
  }
}

/** More changes than this since the last read, and the list is sorted afresh instead of patched. */
const PATCH_LIMIT = 64;

/** The index of the first trial numbered `number` or more in a list sorted by number (its length when none). */
function firstAtOrAfter(list: readonly TrialRecord[], number: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((list[mid] as TrialRecord).number < number) low = mid + 1;
    else high = mid;
  }
  return low;
}

const STAGE: Readonly<Record<TrialState, number>> = { waiting: 0, running: 1, complete: 2, pruned: 2, failed: 2 };
