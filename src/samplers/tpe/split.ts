import { compareEvidence } from '../../core/rank.js';
import type { Direction, TrialRecord } from '../../core/types.js';
import { defaultGamma } from './weights.js';

/**
 * Splits the history into "good" (below) and "bad" (above) trials as Optuna's TPE does, in the order of
 * `compareEvidence`: pruned trials count as evidence (after complete ones, by the step they reached, then their
 * value), and — the constant liar — running trials count as the worst, so parallel suggestions are pushed away
 * from points already being evaluated. Each side keeps trial order (oldest first), which the observation weights
 * rely on.
 */
export function splitGoodBad(
  trials: readonly TrialRecord[],
  direction: Direction,
  options: { constantLiar: boolean; gamma?: (n: number) => number },
): { below: TrialRecord[]; above: TrialRecord[] } {
  const usable = trials.filter(
    (t) => (t.state === 'complete' && t.values) || t.state === 'pruned' || (options.constantLiar && t.state === 'running'),
  );
  const compare = compareEvidence(direction);
  const ranked = usable.map((_, i) => i).sort((a, b) => compare(usable[a] as TrialRecord, usable[b] as TrialRecord) || a - b);
  const nBelow = (options.gamma ?? defaultGamma)(usable.filter((t) => t.state !== 'running').length);
  const isBelow = new Uint8Array(usable.length);
  for (const i of ranked.slice(0, nBelow)) isBelow[i] = 1;
  return {
    below: usable.filter((_, i) => isBelow[i] === 1),
    above: usable.filter((_, i) => isBelow[i] === 0),
  };
}
