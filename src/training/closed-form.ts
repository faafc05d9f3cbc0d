import type * as tfTypes from '@tensorflow/tfjs';
import type { Metrics } from '../core/types.js';
import type { PreparedDataset } from '../data/prepared-dataset.js';
import type { ClosedFormSpec } from '../models/model-specs.js';
import { fitMajority, fitMean, fitSeasonalNaive } from './baseline-fits.js';
import { evaluate, objectiveOf, type FitResult } from './fit.js';
import { fitLogistic } from './logistic.js';
import { prefixed } from './metrics.js';
import type { Reporter } from './protocol.js';
import { fitRidge } from './ridge.js';

/**
 * Writes a closed-form model's weights; returns what the fit chose (ridge's α under `auto`, the seasonal period),
 * which the trial keeps among its final metrics.
 */
export function fitClosedForm(
  tf: typeof tfTypes,
  model: tfTypes.LayersModel,
  spec: ClosedFormSpec,
  dataset: PreparedDataset,
  seriesPeriod: number | undefined,
): Metrics {
  switch (spec.type) {
    case 'ridge':
      return { alpha: fitRidge(tf, model, dataset, spec.alpha) };
    case 'logistic':
      fitLogistic(tf, model, dataset, spec.alpha);
      return {};
    case 'majority':
      fitMajority(tf, model, dataset);
      return {};
    case 'mean':
      fitMean(tf, model, dataset);
      return {};
    case 'seasonalNaive':
      return { period: fitSeasonalNaive(tf, model, dataset, spec.period ?? seriesPeriod) };
  }
}

/** A closed-form fit reported as a single epoch, so schedulers, storage and the dashboard see it like any trial. */
export async function closedFormFit(
  tf: typeof tfTypes,
  model: tfTypes.LayersModel,
  spec: ClosedFormSpec,
  dataset: PreparedDataset,
  options: { readonly metric: string; readonly reporter: Reporter; readonly seriesPeriod: number | undefined },
): Promise<FitResult & { readonly chosen: Metrics }> {
  const chosen = fitClosedForm(tf, model, spec, dataset, options.seriesPeriod);
  const metrics: Metrics = {
    loss: evaluate(tf, model, dataset, dataset.train).loss as number,
    ...prefixed('val_', evaluate(tf, model, dataset, dataset.validation)),
  };
  objectiveOf(metrics, options.metric);
  const decision = await options.reporter.report(1, metrics);
  return {
    bestEpoch: 1,
    bestMetrics: metrics,
    epochsTrained: 1,
    stoppedAtEpoch: decision.stop ? 1 : null,
    patienceStopAt: null,
    diagnoses: [],
    chosen,
  };
}
