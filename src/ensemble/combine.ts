import { InputError } from '../core/errors.js';
import type { Candidate } from './types.js';

/**
 * The weighted average of the members' predictions for one split. Weights are normalised here, so raw selection
 * counts work as well as fractions.
 *
 * @example combine(ensemble.members, ensemble.weights, predictionsOf(candidates, 'test'))
 */
export function combine(
  members: readonly number[],
  weights: readonly number[],
  predictions: ReadonlyMap<number, Float32Array>,
): Float32Array {
  if (members.length === 0 || members.length !== weights.length) {
    throw new InputError(`ensemble: ${members.length} members with ${weights.length} weights`);
  }
  const total = weights.reduce((s, w) => s + w, 0);
  if (!(total > 0) || weights.some((w) => w < 0)) throw new InputError('ensemble: weights must be non-negative with a positive sum');
  const first = memberPredictions(predictions, members[0] as number);
  // Summing in double keeps a 50-member average from drifting in float32.
  const sum = new Float64Array(first.length);
  members.forEach((id, m) => {
    const values = memberPredictions(predictions, id);
    if (values.length !== sum.length)
      throw new InputError(`ensemble: member ${id} has ${values.length} values, member ${members[0]} has ${sum.length}`);
    const w = (weights[m] as number) / total;
    for (let i = 0; i < sum.length; i++) sum[i]! += w * (values[i] as number);
  });
  return Float32Array.from(sum);
}

/** The candidates' predictions for one split, keyed by id; candidates without test predictions are left out. */
export function predictionsOf(candidates: readonly Candidate[], split: 'validation' | 'test'): Map<number, Float32Array> {
  const map = new Map<number, Float32Array>();
  for (const candidate of candidates) {
    const values = candidate[split];
    if (values) map.set(candidate.id, values);
  }
  return map;
}

export function memberPredictions(predictions: ReadonlyMap<number, Float32Array>, id: number): Float32Array {
  const values = predictions.get(id);
  if (!values) throw new InputError(`ensemble: no predictions for member ${id}`);
  return values;
}
