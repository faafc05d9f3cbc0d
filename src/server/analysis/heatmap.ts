import type { Distribution } from '../../core/types.js';
import type { TrialPoint } from '../../storage/storage.js';
import { valueOf } from './rank.js';

export const MAX_HEATMAP_BINS = 40;

export interface HeatmapAxis {
  readonly param: string;
  readonly log: boolean;
  /** bins + 1 edges in parameter units (log-spaced for a log parameter). */
  readonly edges: readonly number[];
}

export interface Heatmap {
  readonly x: HeatmapAxis;
  readonly y: HeatmapAxis;
  /** [x bin, y bin, mean objective, trials] of the non-empty cells only: at most bins² entries. */
  readonly cells: readonly (readonly [number, number, number, number])[];
  readonly trials: number;
}

export function isNumeric(dist: Distribution | undefined): dist is Extract<Distribution, { kind: 'float' | 'int' }> {
  return dist?.kind === 'float' || dist?.kind === 'int';
}

function axis(param: string, dist: Extract<Distribution, { kind: 'float' | 'int' }>, values: readonly number[], bins: number) {
  const log = dist.log && values.every((v) => v > 0) && dist.low > 0;
  const f = log ? Math.log10 : (v: number) => v;
  // The distribution's range, widened to the values seen (a study's space may have changed between runs).
  const lo = Math.min(f(dist.low), ...values.map(f));
  const hi = Math.max(f(dist.high), ...values.map(f));
  const width = hi > lo ? (hi - lo) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (log ? 10 ** (lo + i * width) : lo + i * width));
  const bin = (v: number) => Math.min(bins - 1, Math.max(0, Math.floor((f(v) - lo) / width)));
  return { axis: { param, log, edges }, bin };
}

/** The mean objective of the complete trials in each cell of a bins × bins grid over two numeric parameters. */
export function heatmap(
  trials: readonly TrialPoint[],
  x: { param: string; dist: Extract<Distribution, { kind: 'float' | 'int' }> },
  y: { param: string; dist: Extract<Distribution, { kind: 'float' | 'int' }> },
  bins: number,
): Heatmap {
  const points = trials.flatMap((t) => {
    const v = t.state === 'complete' ? valueOf(t) : null;
    const a = t.params[x.param];
    const b = t.params[y.param];
    return v === null || typeof a !== 'number' || typeof b !== 'number' ? [] : [{ a, b, v }];
  });
  const ax = axis(x.param, x.dist, points.map((p) => p.a), bins);
  const ay = axis(y.param, y.dist, points.map((p) => p.b), bins);
  const sums = new Map<number, { i: number; j: number; n: number; sum: number }>();
  for (const p of points) {
    const i = ax.bin(p.a);
    const j = ay.bin(p.b);
    const cell = sums.get(i * bins + j) ?? { i, j, n: 0, sum: 0 };
    cell.n++;
    cell.sum += p.v;
    sums.set(i * bins + j, cell);
  }
  const cells = [...sums.values()].sort((a, b) => a.i - b.i || a.j - b.j).map((c) => [c.i, c.j, c.sum / c.n, c.n] as const);
  return { x: ax.axis, y: ay.axis, cells, trials: points.length };
}
