import { TrialFailedError } from '../core/errors.js';
import type { Params } from '../core/types.js';
import { isClosedForm } from '../models/model-specs.js';
import { readHyperparameters } from './hyperparameters.js';

/**
 * The last epoch a trained trial reports, known before it runs: 1 for a closed-form fit (ridge, a baseline), otherwise its
 * `epochs` (the trial's own parameter, or `training.epochs`). Schedulers need it to tell a trial that finished at
 * a step from one that could go on. Undefined when the parameters cannot be read (the trial will fail with the
 * reason).
 *
 * @example finalTrainingStep({ model: { type: 'ridge', alpha: 1 } }, 60) // 1
 */
export function finalTrainingStep(params: Params, defaultEpochs: number): number | undefined {
  try {
    const { model, fit } = readHyperparameters(params, defaultEpochs);
    return isClosedForm(model) ? 1 : fit.epochs;
  } catch (error) {
    if (error instanceof TrialFailedError) return undefined;
    throw error;
  }
}
