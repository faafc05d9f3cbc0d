import type { Direction, TrialRecord } from '../../core/types.js';
import { defaultGamma } from './weights.js';

/** A trial's rank key: complete trials first by value, then pruned ones by how far they got, running ones last. */
function rankKey(trial: TrialRecord, sign: number): [number, number] {
  const value = trial.values?.[0];
  if (trial.state === 'complete' && value !== undefined) return [Number.NEGATIVE_INFINITY, sign * value];
  if (trial.state === 'pruned') return [-(trial.lastStep ?? 0), value === undefined ? Number.POSITIVE_INFINITY : sign * value];
  return [Number.POSITIVE_INFINITY, 0];
}

/**
 * Splits the history into "good" (below) and "bad" (above) trials as Optuna's TPE does: pruned trials count as
 * evidence (ranked by the step they reached, then their value), and — the constant liar — running trials count
 * as the worst, so parallel suggestions are pushed away from points already being evaluated. Each side keeps trial
 * order (oldest first), which the observation weights rely on.
 */
export function splitGoodBad(
  trials: readonly TrialRecord[],
  direction: Direction,
  options: { constantLiar: boolean; gamma?: (n: number) => number },
): { below: TrialRecord[]; above: TrialRecord[] } {
  const usable = trials.filter(
    (t) => (t.state === 'complete' && t.values) || t.state === 'pruned' || (options.constantLiar && t.state === 'running'),
  );
  const sign = direction === 'minimize' ? 1 : -1;
  const keys = usable.map((t) => rankKey(t, sign));
  const ranked = usable.map((_, i) => i).sort((a, b) => {
    const ka = keys[a] as [number, number];
    const kb = keys[b] as [number, number];
    return ka[0] - kb[0] || ka[1] - kb[1] || a - b;
  });
  const nBelow = (options.gamma ?? defaultGamma)(usable.filter((t) => t.state !== 'running').length);
  const isBelow = new Uint8Array(usable.length);
  for (const i of ranked.slice(0, nBelow)) isBelow[i] = 1;
  return {
    below: usable.filter((_, i) => isBelow[i] === 1),
    above: usable.filter((_, i) => isBelow[i] === 0),
  };
}
