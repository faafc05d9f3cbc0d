import type { TrialRecord } from '../../core/types.js';
import { rankableValue } from '../../core/rank.js';

export interface ParamImportance {
  readonly param: string;
  /** Share of the objective's variance explained by this parameter alone, in [0, 1]. */
  readonly importance: number;
  /** Trials in which the parameter was active (branch parameters are absent elsewhere). */
  readonly trials: number;
}

/** Fewer complete trials than this give no estimate: a handful of points explains any variance. */
export const MIN_TRIALS_FOR_IMPORTANCE = 5;
const MAX_BINS = 10;

/**
 * Parameter importance as a first-order, fANOVA-like variance decomposition without a surrogate model: for each
 * parameter, complete trials are grouped into bins (quantile bins of a numeric parameter, one bin per category, one
 * for "inactive in this trial"), and importance is the between-bin share of the objective's variance
 * (η² = Σ n_b·(mean_b − mean)² / Σ (y − mean)²). It ignores interactions and overstates importance when trials are
 * few relative to bins, so bins are capped at √n; it is a guide for where to look, not a measurement.
 */
export function paramImportance(trials: readonly Pick<TrialRecord, 'state' | 'values' | 'params' | 'distributions'>[]): ParamImportance[] {
  const points = trials.flatMap((t) => {
    const y = t.state === 'complete' ? rankableValue(t) : null;
    return y === null ? [] : [{ params: t.params, kinds: t.distributions, y }];
  });
  if (points.length < MIN_TRIALS_FOR_IMPORTANCE) return [];
  // η² does not change with the objective's scale; dividing by the largest |y| keeps squares of values near ±1e308
  // (or sums of them) from overflowing to Infinity, which made every share NaN.
  const scale = Math.max(...points.map((p) => Math.abs(p.y))) || 1;
  for (const p of points) p.y /= scale;
  const mean = points.reduce((s, p) => s + p.y, 0) / points.length;
  const total = points.reduce((s, p) => s + (p.y - mean) ** 2, 0);
  const names = new Set<string>();
  for (const p of points) for (const [name, dist] of Object.entries(p.kinds)) if (dist.kind !== 'const') names.add(name);
  const bins = Math.max(2, Math.min(MAX_BINS, Math.floor(Math.sqrt(points.length))));

  const result: ParamImportance[] = [];
  for (const name of names) {
    const keys = binKeys(
      points.map((p) => p.params[name]),
      bins,
    );
    const groups = new Map<string, { n: number; sum: number }>();
    points.forEach((p, i) => {
      const group = groups.get(keys[i] as string) ?? { n: 0, sum: 0 };
      group.n++;
      group.sum += p.y;
      groups.set(keys[i] as string, group);
    });
    let between = 0;
    for (const g of groups.values()) between += g.n * (g.sum / g.n - mean) ** 2;
    const active = points.filter((p) => p.params[name] !== undefined).length;
    result.push({ param: name, importance: total > 0 ? Math.min(1, between / total) : 0, trials: active });
  }
  return result.sort((a, b) => b.importance - a.importance || a.param.localeCompare(b.param));
}

/** One bin label per value: quantile bins for numbers, the value itself for categories. */
function binKeys(values: readonly unknown[], bins: number): string[] {
  const numbers = values.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const edge = numbers[Math.floor((b * numbers.length) / bins)];
    if (edge !== undefined && edge !== edges[edges.length - 1]) edges.push(edge);
  }
  return values.map((v) => {
    if (v === undefined) return 'inactive';
    if (typeof v !== 'number') return `c:${String(v)}`;
    let bin = 0;
    while (bin < edges.length && v >= (edges[bin] as number)) bin++;
    return `n:${bin}`;
  });
}
