/** Per-column mean and standard deviation, fitted on training rows only. */
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
