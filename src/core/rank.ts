import type { Direction, TrialRecord } from './types.js';

/**
 * Complete trials with a finite first value, best first; equal values keep the earlier trial first, so every
 * ranking in the tool (the CLI listing, ensembles, exports, artifact retention) agrees on "the best".
 */
export function rankCompleted(trials: readonly TrialRecord[], direction: Direction): TrialRecord[] {
  const sign = direction === 'minimize' ? 1 : -1;
  return trials
    .filter((t) => t.state === 'complete' && Number.isFinite(t.values?.[0]))
    .sort((a, b) => sign * ((a.values![0] as number) - (b.values![0] as number)) || a.number - b.number);
}
