/**
 * A per-column affine map x ↦ (x − mean) / std, fitted on training rows only. Min–max scaling is the same map with
 * the minimum as `mean` and the range as `std`; no scaling is mean 0, std 1.
 */
export interface Standardizer {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * Fits mean/std per column over the given rows of a row-major matrix, ignoring NaN (missing). A constant column
 * gets std 1 so it maps to 0 instead of dividing by zero.
 */
export function fitStandardizer(values: Float64Array, width: number, rows: readonly number[]): Standardizer {
  const mean = new Array<number>(width).fill(0);
  const sq = new Array<number>(width).fill(0);
  const count = new Array<number>(width).fill(0);
  for (const r of rows) {
    for (let c = 0; c < width; c++) {
      const v = values[r * width + c] as number;
      if (Number.isNaN(v)) continue;
      count[c]!++;
      const delta = v - mean[c]!;
      mean[c]! += delta / count[c]!;
      sq[c]! += delta * (v - mean[c]!);
    }
  }
  const std = sq.map((s, c) => {
    const sd = count[c]! > 1 ? Math.sqrt(s / (count[c]! - 1)) : 0;
    return sd > 1e-12 ? sd : 1;
  });
  return { mean, std };
}

/**
 * Fits min/max per column over the given rows, ignoring NaN, so training values map to [0, 1]. A constant column
 * gets range 1 so it maps to 0; validation and test values may fall outside [0, 1].
 */
export function fitMinMax(values: Float64Array, width: number, rows: readonly number[]): Standardizer {
  const min = new Array<number>(width).fill(Infinity);
  const max = new Array<number>(width).fill(-Infinity);
  for (const r of rows) {
    for (let c = 0; c < width; c++) {
      const v = values[r * width + c] as number;
      if (Number.isNaN(v)) continue;
      if (v < min[c]!) min[c] = v;
      if (v > max[c]!) max[c] = v;
    }
  }
  const mean = min.map((m) => (Number.isFinite(m) ? m : 0));
  const std = max.map((m, c) => (m - mean[c]! > 1e-12 ? m - mean[c]! : 1));
  return { mean, std };
}

/**
 * Fits median and interquartile range per column, ignoring NaN: x ↦ (x − median) / (IQR / 1.349), the same
 * scale as standardizing on normal data, but one outlier moves neither statistic. A column whose quartiles meet
 * (mostly one value) falls back to its standard deviation, as the standardizer fits it.
 */
export function fitRobust(values: Float64Array, width: number, rows: readonly number[]): Standardizer {
  const fallback = fitStandardizer(values, width, rows);
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < width; c++) {
    const column = Float64Array.from(rows, (r) => values[r * width + c] as number)
      .filter((v) => !Number.isNaN(v))
      .sort();
    const iqr = (quantile(column, 0.75) - quantile(column, 0.25)) / 1.349;
    mean.push(column.length > 0 ? quantile(column, 0.5) : 0);
    std.push(iqr > 1e-12 ? iqr : (fallback.std[c] as number));
  }
  return { mean, std };
}

/** Linear interpolation between order statistics (numpy's default), of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.min(sorted.length - 1, below + 1);
  return (sorted[below] as number) + ((sorted[above] as number) - (sorted[below] as number)) * (at - below);
}

/** The scaler `data.preprocessing.scaling` names, fitted on the given rows. */
export function fitScaler(
  kind: 'standard' | 'robust' | 'minmax' | 'none',
  values: Float64Array,
  width: number,
  rows: readonly number[],
): Standardizer {
  if (kind === 'minmax') return fitMinMax(values, width, rows);
  if (kind === 'robust') return fitRobust(values, width, rows);
  return kind === 'none' ? identityScaler(width) : fitStandardizer(values, width, rows);
}

/** The map that leaves every column as it is. */
export function identityScaler(width: number): Standardizer {
  return { mean: new Array<number>(width).fill(0), std: new Array<number>(width).fill(1) };
}

/** Standardizes the chosen rows into a float32 matrix; a missing value becomes 0, the training mean. */
export function applyStandardizer(values: Float64Array, width: number, rows: readonly number[], scaler: Standardizer): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    for (let c = 0; c < width; c++) {
      const v = values[r * width + c] as number;
      out[i * width + c] = Number.isNaN(v) ? 0 : (v - scaler.mean[c]!) / scaler.std[c]!;
    }
  });
  return out;
}
