import type { Distribution, ParamValue } from '../../core/types.js';
import type { TrialPoint } from '../../storage/storage.js';
import { rankableValue } from '../../core/rank.js';

export const MAX_HEATMAP_BINS = 40;

type Numeric = Extract<Distribution, { kind: 'float' | 'int' }>;
export type Binnable = Numeric | Extract<Distribution, { kind: 'categorical' }>;

export interface HeatmapAxis {
  readonly param: string;
  readonly kind: Binnable['kind'];
  readonly log: boolean;
  /**
   * Bin boundaries in parameter units (log-spaced for a log parameter) when bins are ranges: bin i holds
   * edges[i] ≤ v < edges[i + 1] (the last one includes its upper edge). Integer ranges have integer edges. Null when
   * each bin is one value.
   */
  readonly edges: readonly number[] | null;
  /** The one integer or category each bin stands for, in order; null when bins are ranges. */
  readonly values: readonly ParamValue[] | null;
}

export interface Heatmap {
  readonly x: HeatmapAxis;
  readonly y: HeatmapAxis;
  /** [x bin, y bin, mean objective, trials] of the non-empty cells only: at most bins² entries. */
  readonly cells: readonly (readonly [number, number, number, number])[];
  readonly trials: number;
}

export function isNumeric(dist: Distribution | undefined): dist is Numeric {
  return dist?.kind === 'float' || dist?.kind === 'int';
}

export function isBinnable(dist: Distribution | undefined): dist is Binnable {
  return isNumeric(dist) || dist?.kind === 'categorical';
}

interface BinnedAxis {
  readonly axis: HeatmapAxis;
  readonly bin: (v: ParamValue) => number;
}

function integers(dist: Numeric): number[] {
  const step = Math.max(1, dist.step ?? 1);
  return Array.from({ length: Math.floor((dist.high - dist.low) / step) + 1 }, (_, i) => dist.low + i * step);
}

/** One bin per value seen or allowed: categories in the order of their choices, integers in order. */
function discreteAxis(param: string, dist: Binnable, values: readonly ParamValue[]): BinnedAxis {
  const known: ParamValue[] = dist.kind === 'categorical' ? [...dist.choices] : integers(dist);
  // Values outside the distribution (a study whose space changed between runs) still get a bin.
  for (const v of values) if (!known.includes(v)) known.push(v);
  if (dist.kind !== 'categorical') (known as number[]).sort((a, b) => a - b);
  return { axis: { param, kind: dist.kind, log: false, edges: null, values: known }, bin: (v) => known.indexOf(v) };
}

function rangeAxis(param: string, dist: Numeric, values: readonly number[], bins: number): BinnedAxis {
  const log = dist.log && values.every((v) => v > 0) && dist.low > 0;
  const f = log ? Math.log10 : (v: number) => v;
  // The distribution's range, widened to the values seen (a study's space may have changed between runs).
  const lo = Math.min(f(dist.low), ...values.map(f));
  const hi = Math.max(f(dist.high), ...values.map(f));
  const width = hi > lo ? (hi - lo) / bins : 1;
  let edges = Array.from({ length: bins + 1 }, (_, i) => (log ? 10 ** (lo + i * width) : lo + i * width));
  // An integer bin is a whole range of integers: 16–19, not 16–19.6.
  if (dist.kind === 'int') edges = [...new Set(edges.map((e, i) => (i === bins ? Math.round(e) + 1 : Math.round(e))))];
  const last = edges.length - 2;
  const bin = (v: ParamValue) => {
    let i = 0;
    while (i < last && (v as number) >= (edges[i + 1] as number)) i++;
    return i;
  };
  return { axis: { param, kind: dist.kind, log, edges, values: null }, bin };
}

/** Integers get one bin each when there are no more of them than bins; categories always do. */
function binnedAxis(param: string, dist: Binnable, values: readonly ParamValue[], bins: number): BinnedAxis {
  if (dist.kind === 'categorical') return discreteAxis(param, dist, values);
  const numbers = values as readonly number[];
  const lo = Math.min(dist.low, ...numbers);
  const hi = Math.max(dist.high, ...numbers);
  if (dist.kind === 'int' && hi - lo + 1 <= bins) return discreteAxis(param, dist, values);
  return rangeAxis(param, dist, numbers, bins);
}

const fits = (dist: Binnable, v: ParamValue | undefined): v is ParamValue =>
  v !== undefined && (dist.kind === 'categorical' || (typeof v === 'number' && Number.isFinite(v)));

/**
 * The mean objective of the complete trials in each cell of a grid over two parameters: numbers in at most `bins`
 * ranges a side, integers and categories one bin per value.
 */
export function heatmap(
  trials: readonly TrialPoint[],
  x: { param: string; dist: Binnable },
  y: { param: string; dist: Binnable },
  bins: number,
): Heatmap {
  const points = trials.flatMap((t) => {
    const v = t.state === 'complete' ? rankableValue(t) : null;
    const a = t.params[x.param];
    const b = t.params[y.param];
    return v === null || !fits(x.dist, a) || !fits(y.dist, b) ? [] : [{ a, b, v }];
  });
  const ax = binnedAxis(
    x.param,
    x.dist,
    points.map((p) => p.a),
    bins,
  );
  const ay = binnedAxis(
    y.param,
    y.dist,
    points.map((p) => p.b),
    bins,
  );
  const means = new Map<string, { i: number; j: number; n: number; mean: number }>();
  for (const p of points) {
    const i = ax.bin(p.a);
    const j = ay.bin(p.b);
    const cell = means.get(`${i},${j}`) ?? { i, j, n: 0, mean: 0 };
    cell.n++;
    // A running mean in shares of n: a sum of values near ±1e308 would overflow to ±Infinity.
    cell.mean += p.v / cell.n - cell.mean / cell.n;
    means.set(`${i},${j}`, cell);
  }
  const cells = [...means.values()].sort((a, b) => a.i - b.i || a.j - b.j).map((c) => [c.i, c.j, c.mean, c.n] as const);
  return { x: ax.axis, y: ay.axis, cells, trials: points.length };
}
