/** Optuna's default number of "good" trials: 10% of the history, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Hyperopt's number of "good" trials: ⌈¼·√n⌉, at most 25 — fewer than Optuna's, so more exploitation. */
export function sqrtGamma(n: number): number {
  return Math.min(Math.ceil(0.25 * Math.sqrt(n)), 25);
}

/**
 * Optuna's default observation weights, oldest first: the newest 25 weigh 1, older ones ramp linearly from 1/n,
 * so a long study slowly forgets its early exploration.
 *
 * @example defaultWeights(3) // [1, 1, 1]
 */
export function defaultWeights(n: number): Float64Array {
  const weights = new Float64Array(n).fill(1);
  if (n < 25) return weights;
  const ramp = n - 25;
  for (let i = 0; i < ramp; i++) weights[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  return weights;
}
