/** The q-quantile (0..1) of numbers, linearly interpolated as numpy's default does; NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const weight = position - lower;
  return (sorted[lower] as number) * (1 - weight) + (sorted[upper] as number) * weight;
}

/** The median (numpy's rule for even counts). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}
