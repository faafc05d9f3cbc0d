// Pure arithmetic of successive halving and Hyperband (Li et al. 2018), tested on its own.
import { isBetter, isRankable } from '../core/rank.js';
import type { Direction } from '../core/types.js';

/**
 * The steps at which a trial faces a decision: r·η^k for k = 0, 1, … while below the maximum R (a trial that
 * reaches R simply completes).
 *
 * @example rungSteps(1, 3, 27) // [1, 3, 9]
 */
export function rungSteps(minResource: number, eta: number, maxResource: number): number[] {
  const steps: number[] = [];
  for (let step = minResource; step < maxResource; step *= eta) steps.push(Math.round(step));
  return steps;
}

/**
 * Index of the rung at `step`, or −1 if `step` is not a rung.
 */
export function rungIndex(step: number, minResource: number, eta: number, maxResource: number): number {
  return rungSteps(minResource, eta, maxResource).indexOf(step);
}

/** s_max + 1 brackets, where s_max = ⌊log_η(R / r)⌋. */
export function bracketCount(minResource: number, eta: number, maxResource: number): number {
  return Math.floor(Math.log(maxResource / minResource) / Math.log(eta) + 1e-9) + 1;
}

/**
 * How many configurations each bracket would start in one round of Hyperband, n_s = ⌈(s_max+1)/(s+1)·η^s⌉,
 * indexed by bracket b = s_max − s so that bracket 0 is the most aggressive (smallest minimum resource).
 *
 * @example bracketSizes(1, 3, 27) // [27, 12, 6, 4]  (brackets with minimum resource 1, 3, 9, 27)
 */
export function bracketSizes(minResource: number, eta: number, maxResource: number): number[] {
  const count = bracketCount(minResource, eta, maxResource);
  const sMax = count - 1;
  return Array.from({ length: count }, (_, b) => {
    const s = sMax - b;
    return Math.ceil(((sMax + 1) / (s + 1)) * eta ** s);
  });
}

/** The minimum resource of bracket b: r·η^b. */
export function bracketMinResource(bracket: number, minResource: number, eta: number): number {
  return minResource * eta ** bracket;
}

/**
 * Whether a value at a rung is in the top 1/η of the values recorded there (its own included). Ties go to the
 * trials that reported first: on a coarse metric such as the accuracy of a small validation split many trials
 * tie, and letting every tied one through would promote far more than 1/η. While fewer than η values exist, only
 * a value better than all before it passes — there is no waiting for others, as in Optuna's asynchronous
 * successive halving. Values are ranked as everywhere else (`core/rank.ts`): a non-finite one is never promoted
 * and does not compete.
 */
export function promotable(value: number, competing: readonly number[], eta: number, direction: Direction): boolean {
  if (!isRankable(value)) return false;
  const values = competing.filter(isRankable);
  const own = values.indexOf(value);
  if (own >= 0) values.splice(own, 1);
  const keep = Math.max(1, Math.floor((values.length + 1) / eta));
  const atLeastAsGood = values.filter((v) => !isBetter(direction, value, v)).length;
  return atLeastAsGood < keep;
}
