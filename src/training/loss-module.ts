import type * as tfTypes from '@tensorflow/tfjs';
import { pathToFileURL } from 'node:url';
import { describeError, TrialFailedError } from '../core/errors.js';
import type { LossFn } from './losses.js';

/**
 * A training loss written by the user: the default export of the study's `training.lossModule`, selected by the
 * trial parameter `loss: "custom"`.
 *
 * - `tf`: the TensorFlow.js namespace the trainer runs on; build the loss with it rather than an import of your
 *   own, so its tensors live in the trainer's engine and gradients flow through them.
 * - `yTrue`: classification, one-hot targets `[batch, classes]`; regression, standardized targets `[batch, 1]`.
 * - `yPred`: classification, softmax probabilities `[batch, classes]`; regression, standardized predictions
 *   `[batch, 1]`.
 * - returns a scalar tensor (by convention the mean over the batch), differentiable in `yPred`, synchronously.
 *
 * Validation and test metrics do not use it: they stay the task's own, so trials with different losses compare.
 *
 * @example export default (tf, y, p) => tf.tidy(() => y.mul(p.clipByValue(1e-7, 1).log()).mul(p.sub(1).square()).sum(-1).neg().mean());
 */
export type CustomLoss = (tf: typeof tfTypes, yTrue: tfTypes.Tensor, yPred: tfTypes.Tensor) => tfTypes.Scalar;

const modules = new Map<string, Promise<CustomLoss>>();

/** Imports a loss module once per thread; a missing file or a default export that is not a function fails the trial. */
export function loadLossModule(path: string): Promise<CustomLoss> {
  let loaded = modules.get(path);
  if (!loaded) {
    loaded = import(pathToFileURL(path).href).then(
      (mod: { default?: unknown }) => {
        if (typeof mod.default !== 'function') {
          throw new TrialFailedError(
            `training.lossModule ${path}: the default export must be a function (tf, yTrue, yPred) => tf.Scalar, not ${kind(mod.default)}`,
          );
        }
        return mod.default as CustomLoss;
      },
      (error: unknown) => {
        throw new TrialFailedError(`training.lossModule ${path}: cannot load the module (${describeError(error)})`, { cause: error });
      },
    );
    modules.set(path, loaded);
  }
  return loaded;
}

/** The user's loss as the trainer calls it: a throw or anything but a scalar tensor fails the trial, naming the file. */
export function checkedLoss(tf: typeof tfTypes, path: string, loss: CustomLoss): LossFn {
  return (yTrue, yPred) => {
    let out: unknown;
    try {
      out = loss(tf, yTrue, yPred);
    } catch (error) {
      throw new TrialFailedError(`training.lossModule ${path}: the loss threw (${describeError(error)})`, { cause: error });
    }
    if (!(out instanceof tf.Tensor) || out.rank !== 0) {
      throw new TrialFailedError(`training.lossModule ${path}: the loss must return a scalar tensor, not ${kind(out)}`);
    }
    return out as tfTypes.Scalar;
  };
}

function kind(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return `a ${typeof value}`;
  const shape = (value as { shape?: unknown }).shape;
  if (Array.isArray(shape)) return `a tensor of shape [${shape.join(', ')}]`;
  return `a ${value.constructor?.name ?? 'object'}`;
}
