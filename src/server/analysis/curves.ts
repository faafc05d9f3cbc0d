import type { Direction, StepRecord, TrialRecord } from '../../core/types.js';
import type { TrialPoint } from '../../storage/storage.js';
import { compareValues, rankableValue } from '../../core/rank.js';

/** No chart response carries more points than this: browsers choke on long series, and links may be slow. */
export const MAX_CHART_POINTS = 2000;

export interface Curve {
  readonly trial: number;
  readonly state: TrialRecord['state'];
  /** [step, value] pairs in step order. */
  readonly points: readonly (readonly [number, number])[];
}

export interface Curves {
  readonly metric: string | null;
  readonly metrics: readonly string[];
  readonly curves: readonly Curve[];
  readonly totalTrials: number;
  readonly totalPoints: number;
  /** Whether trials were left out or curves thinned to stay under the cap. */
  readonly downsampled: boolean;
}

/**
 * Learning curves of at most `maxTrials` trials and `maxPoints` points in all. Trials are chosen best first (complete
 * trials by value, then the rest newest first) because those are the curves people compare; when the chosen curves
 * still hold too many points each is thinned by a stride, keeping its first and last step. Only the chosen trials'
 * steps are loaded: a large study holds hundreds of thousands.
 */
export async function learningCurves(
  trials: readonly TrialPoint[],
  metrics: readonly string[],
  loadSteps: (trialIds: number[]) => Promise<ReadonlyMap<number, readonly StepRecord[]>>,
  options: { direction: Direction; metric?: string | undefined; preferred?: string | undefined; maxTrials: number; maxPoints?: number },
): Promise<Curves> {
  const maxPoints = options.maxPoints ?? MAX_CHART_POINTS;
  const metric = options.metric ?? (options.preferred && metrics.includes(options.preferred) ? options.preferred : metrics[0]) ?? null;

  const compare = compareValues(options.direction);
  const withSteps = trials.filter((t) => t.steps > 0);
  const ranked = [...withSteps].sort((a, b) => {
    const va = a.state === 'complete' ? rankableValue(a) : null;
    const vb = b.state === 'complete' ? rankableValue(b) : null;
    if (va !== null && vb !== null) return compare(va, vb) || a.number - b.number;
    if (va !== null) return -1;
    if (vb !== null) return 1;
    return b.number - a.number;
  });
  const chosen = ranked.slice(0, Math.max(1, options.maxTrials));
  const steps = await loadSteps(chosen.map((t) => t.id));
  const full = chosen.map((t) => ({
    trial: t.number,
    state: t.state,
    points: (steps.get(t.id) ?? []).flatMap((s) => {
      const v = metric === null ? undefined : s.metrics[metric];
      return typeof v === 'number' && Number.isFinite(v) ? [[s.step, v] as const] : [];
    }),
  }));
  const totalPoints = full.reduce((n, c) => n + c.points.length, 0);
  const perCurve = Math.max(2, Math.floor(maxPoints / Math.max(1, full.length)));
  const thin = totalPoints > maxPoints;
  const curves = thin ? full.map((c) => ({ ...c, points: stride(c.points, perCurve) })) : full;
  return {
    metric,
    metrics,
    curves,
    totalTrials: withSteps.length,
    totalPoints: withSteps.reduce((n, t) => n + t.steps, 0),
    downsampled: thin || chosen.length < withSteps.length,
  };
}

/** At most `max` (≥ 2) evenly spaced items, always including the first and the last. */
export function stride<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(items[Math.round((i * (items.length - 1)) / (max - 1))] as T);
  return out;
}
