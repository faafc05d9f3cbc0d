import type { TrialRecord, TrialState } from '../../core/types.js';

/** Most trials one timeline shows: the latest ones, so the chart stays light at 10,000 trials. */
export const MAX_TIMELINE_TRIALS = 2000;

export interface TimelineBar {
  readonly number: number;
  readonly state: TrialState;
  readonly start: number;
  /** Finish time; now for a running trial. */
  readonly end: number;
  readonly lane: number;
}

/**
 * Trials as bars on lanes, a lane per worker slot. Trials do not record which thread ran them, but lanes from
 * interval partitioning (each trial on the lowest lane free at its start) are exactly the busy slots: as many as
 * trials ever ran at once, so idle workers and stragglers show the same way a per-thread view would.
 */
export function timeline(trials: readonly TrialRecord[], now: number): { bars: TimelineBar[]; lanes: number } {
  const started = trials
    .filter((t): t is TrialRecord & { startedAt: number } => typeof t.startedAt === 'number')
    .sort((a, b) => a.startedAt - b.startedAt || a.number - b.number);
  const laneEnds: number[] = [];
  const bars = started.map((t) => {
    const end = t.finishedAt ?? now;
    let lane = laneEnds.findIndex((free) => free <= t.startedAt);
    if (lane < 0) lane = laneEnds.push(end) - 1;
    else laneEnds[lane] = end;
    return { number: t.number, state: t.state, start: t.startedAt, end, lane };
  });
  return { bars, lanes: laneEnds.length };
}
