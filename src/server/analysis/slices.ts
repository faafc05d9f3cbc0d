import type { Distribution } from '../../core/types.js';
import type { TrialPoint } from '../../storage/storage.js';
import { MAX_CHART_POINTS, stride } from './curves.js';
import { rankableValue } from '../../core/rank.js';

/** At most this many parameters get a slice plot. */
export const MAX_SLICES = 8;

export interface ParamSpec {
  readonly name: string;
  readonly distribution: Distribution;
}

/** The searched parameters (constants left out), by name, each with the distribution its latest trial recorded. */
export function paramSpace(trials: readonly Pick<TrialPoint, 'distributions'>[]): ParamSpec[] {
  const space = new Map<string, Distribution>();
  for (const t of trials) for (const [name, dist] of Object.entries(t.distributions)) if (dist.kind !== 'const') space.set(name, dist);
  return [...space].map(([name, distribution]) => ({ name, distribution })).sort((a, b) => a.name.localeCompare(b.name));
}

export interface Slice extends ParamSpec {
  /** [parameter value, objective value, trial number] of the complete trials where the parameter was active. */
  readonly points: readonly (readonly [number | string, number, number])[];
  readonly total: number;
}

/** Objective vs parameter for each named parameter, the points shared out so the whole stays under the cap. */
export function slices(
  trials: readonly TrialPoint[],
  names: readonly string[],
  maxPoints = MAX_CHART_POINTS,
): { slices: Slice[]; downsampled: boolean } {
  const space = new Map(paramSpace(trials).map((p) => [p.name, p.distribution]));
  const perParam = Math.max(2, Math.floor(maxPoints / Math.max(1, names.length)));
  let downsampled = false;
  const out = names.flatMap((name) => {
    const distribution = space.get(name);
    if (!distribution) return [];
    const all = trials.flatMap((t) => {
      const y = t.state === 'complete' ? rankableValue(t) : null;
      const x = t.params[name];
      return y === null || (typeof x !== 'number' && typeof x !== 'string') ? [] : [[x, y, t.number] as const];
    });
    if (all.length > perParam) downsampled = true;
    return [{ name, distribution, points: stride(all, perParam), total: all.length }];
  });
  return { slices: out, downsampled };
}
