/**
 * Autocorrelation of a series at `lag`: Σ (vₜ − m)(vₜ₋ₗ − m) / Σ (vₜ − m)², 0 for a constant series.
 *
 * @example autocorrelation([1, -1, 1, -1, 1, -1], 2) // 0.667
 */
export function autocorrelation(values: ArrayLike<number>, lag: number): number {
  const n = values.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += (values[t] as number) / n;
  let variance = 0;
  for (let t = 0; t < n; t++) variance += ((values[t] as number) - mean) ** 2;
  if (!(variance > 0) || lag >= n) return 0;
  let covariance = 0;
  for (let t = lag; t < n; t++) covariance += ((values[t] as number) - mean) * ((values[t - lag] as number) - mean);
  return covariance / variance;
}

/** Below this autocorrelation of the differenced series, no lag is taken for a season (white noise reaches ~0.2). */
export const SEASONALITY_THRESHOLD = 0.3;

/**
 * The seasonal period of a series: the lag in [2, maxLag] at which its first differences are most autocorrelated,
 * or 1 (no season: a naive forecast repeats the last value) when none reaches {@link SEASONALITY_THRESHOLD}.
 * Differencing first removes a trend, whose slowly decaying autocorrelation would otherwise favour the shortest
 * lag; a monthly series with a yearly cycle (air passengers) gives 12.
 *
 * @example seasonalPeriod(monthlyPassengers, 24) // 12
 */
export function seasonalPeriod(values: ArrayLike<number>, maxLag: number): number {
  const differences = new Float64Array(Math.max(0, values.length - 1));
  for (let t = 1; t < values.length; t++) differences[t - 1] = (values[t] as number) - (values[t - 1] as number);
  // Beyond half the differences an autocorrelation rests on too few pairs to mean anything.
  const top = Math.min(maxLag, Math.floor(differences.length / 2));
  let best = { lag: 1, r: SEASONALITY_THRESHOLD };
  for (let lag = 2; lag <= top; lag++) {
    const r = autocorrelation(differences, lag);
    if (r > best.r) best = { lag, r };
  }
  return best.lag;
}
