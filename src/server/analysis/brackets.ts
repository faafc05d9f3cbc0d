import { bracketOf, rungOf } from '../../core/annotations.js';
import type { TrialRecord, TrialState } from '../../core/types.js';

export interface Bracket {
  readonly bracket: number;
  readonly trials: number;
  /** reached[k]: trials that reached rung k (rung 0: every trial of the bracket). */
  readonly reached: readonly number[];
  readonly states: Readonly<Partial<Record<TrialState, number>>>;
}

/**
 * Trials grouped by Hyperband bracket (`systemAttrs.bracket`; ASHA has one, bracket 0) and the rung each reached.
 * Schedulers store `rung`: k + 1 when a trial was promoted past rung k, k when it stopped there; a trial without it
 * has not reached its first rung's step yet (rung 0).
 */
export function bracketsOf(trials: readonly Pick<TrialRecord, 'state' | 'systemAttrs'>[]): Bracket[] {
  const groups = new Map<number, { rungs: number[]; states: Partial<Record<TrialState, number>> }>();
  for (const t of trials) {
    const b = bracketOf(t);
    const r = rungOf(t);
    const bracket = b !== undefined && Number.isInteger(b) && b >= 0 ? b : 0;
    const rung = r !== undefined && Number.isInteger(r) && r >= 0 ? Math.min(r, 64) : 0;
    const group = groups.get(bracket) ?? { rungs: [], states: {} };
    group.rungs.push(rung);
    group.states[t.state] = (group.states[t.state] ?? 0) + 1;
    groups.set(bracket, group);
  }
  return [...groups]
    .sort(([a], [b]) => a - b)
    .map(([bracket, g]) => {
      const top = Math.max(0, ...g.rungs);
      const reached = Array.from({ length: top + 1 }, (_, k) => g.rungs.filter((r) => r >= k).length);
      return { bracket, trials: g.rungs.length, reached, states: g.states };
    });
}
