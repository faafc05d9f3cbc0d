import type { Fitting } from '../models/families.js';
import { classificationMetrics, prefixed, regressionMetrics } from './metrics.js';

/**
 * The metrics every epoch of a trained model reports, which is what `objective.metric` may name. The evaluation
 * names come from the metric functions themselves (called on two dummy rows), so this list cannot drift from them.
 *
 * @example epochMetricNames('regression', 0, 'closed-form') // ['loss', 'val_loss', 'val_mse', …]
 */
export function epochMetricNames(task: 'classification' | 'regression', classes: number, fitting: Fitting): string[] {
  const evaluation =
    task === 'classification'
      ? classificationMetrics(new Float32Array(2 * classes), Float32Array.of(0, 1), classes)
      : regressionMetrics(Float32Array.of(0, 1), Float32Array.of(1, 0), { mean: 0, std: 1, log: false });
  // The training pass's own figures (fit.ts, trainOneEpoch); a closed-form fit has no steps, hence no gradients.
  const training =
    fitting === 'closed-form'
      ? ['loss']
      : ['loss', ...(task === 'classification' ? ['accuracy'] : []), 'grad_norm', 'learning_rate', 'samples_per_second'];
  return [...training, ...Object.keys(prefixed('val_', evaluation))];
}
