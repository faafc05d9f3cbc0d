import { BASELINE, isBaseline, MAX_STEP, type TrialAnnotations } from '../core/annotations.js';
import { forkSeed } from '../core/rng.js';
import type { Distribution, ParamValue, TrialRecord } from '../core/types.js';
import { loadDataset } from '../data/cache.js';
import { seasonalPeriod } from '../maths/seasonality.js';
import { LIMITS } from '../space/limits.js';
import type { DataConfig, StudyConfig } from '../space/schema.js';
import type { Storage } from '../storage/storage.js';
import { trainingSeries } from '../training/baseline-fits.js';

/** One baseline trial: which baseline, and its parameters (top-level names the trainer reads, outside the space). */
export interface BaselinePlan {
  readonly name: string;
  readonly params: Readonly<Record<string, ParamValue>>;
}

// A series needs this many training windows after its lookback (src/data/series.ts refuses fewer).
const MIN_SERIES_WINDOWS = 10;

/**
 * The baselines that fit a study's task, in the order they run: classification, the majority class and logistic
 * regression; regression, the mean and ridge with α by leave-one-out; a series, seasonal naive and a linear
 * autoregression (ridge on the lookback window), both reading at least one period back. None for a study that
 * trains no models, that turned them off, or whose objective is not a validation metric (a closed-form fit
 * reports no training accuracy or gradient norm). Text as token ids has no linear model, so only the constant one.
 *
 * @example plannedBaselines(irisStudy) // [{ name: 'majority', params: { model: 'majority' } }, { name: 'logistic', … }]
 */
export function plannedBaselines(
  config: StudyConfig,
  detectPeriod: (data: DataConfig) => number = (data) => seriesPeriod(data, config.search.seed),
): BaselinePlan[] {
  const data = config.data;
  if (!data || !config.search.baselines || !config.objective.metric.startsWith('val_')) return [];
  const input = data.input;
  const tokens = input.kind === 'text' && input.representation === 'tokens';
  if (data.task === 'classification') {
    return [{ name: 'majority', params: { model: 'majority' } }, ...(tokens ? [] : [{ name: 'logistic', params: { model: 'logistic' } }])];
  }
  if (input.kind === 'series') {
    const period = input.period ?? detectPeriod(data);
    const lookback = Math.max(input.lookback, period);
    return [
      { name: 'seasonalNaive', params: { model: 'seasonalNaive', period, lookback } },
      { name: 'ridge', params: { model: 'ridge', alpha: 'auto', lookback } },
    ];
  }
  return [{ name: 'mean', params: { model: 'mean' } }, ...(tokens ? [] : [{ name: 'ridge', params: { model: 'ridge', alpha: 'auto' } }])];
}

/**
 * The seasonal period of a study's series, detected on its training values (the split every trial uses), among
 * the lags that leave enough training windows; 1 when it has no season.
 */
export function seriesPeriod(data: DataConfig, seed: number): number {
  const values = trainingSeries(loadDataset(data, seed));
  return seasonalPeriod(values, Math.min(LIMITS.lookback, values.length - MIN_SERIES_WINDOWS));
}

/**
 * Queues the study's baselines as waiting trials, claimed before anything is sampled, unless it has them already:
 * each is annotated `baseline` (so the budget and the sampler leave it out) and ends at step 1. `Study.open` calls
 * it only in the process that created the study. Returns how many were queued.
 */
export async function enqueueBaselines(
  storage: Storage,
  studyId: number,
  config: StudyConfig,
  trials: readonly TrialRecord[],
): Promise<number> {
  if (trials.some(isBaseline)) return 0;
  const plans = plannedBaselines(config);
  for (const plan of plans) {
    const distributions: Record<string, Distribution> = Object.fromEntries(
      Object.entries(plan.params).map(([name, value]) => [name, { kind: 'const', value }]),
    );
    const annotations: TrialAnnotations = { [BASELINE]: plan.name, [MAX_STEP]: 1 };
    await storage.createTrial(studyId, {
      state: 'waiting',
      params: plan.params,
      distributions,
      seed: forkSeed(config.search.seed, 'baseline', plan.name),
      systemAttrs: annotations,
    });
  }
  return plans.length;
}
