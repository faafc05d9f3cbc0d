import type * as tfTypes from '@tensorflow/tfjs';
import { TrialFailedError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { buildCnn } from './cnn.js';
import type { ModelSpec } from './hyperparameters.js';
import { buildMlp } from './mlp.js';
import { buildRnn } from './rnn.js';

/**
 * Builds the model a trial asked for, for inputs of `inputShape` and `outputs` classes (0: one regression
 * output). A model that cannot read this input (a CNN on a table) fails the trial with that reason.
 */
export function buildModel(tf: typeof tfTypes, spec: ModelSpec, inputShape: readonly number[], outputs: number, rng: Rng): tfTypes.Sequential {
  switch (spec.type) {
    case 'mlp':
      return buildMlp(tf, spec, inputShape, outputs, rng);
    case 'ridge':
      if (outputs > 0) throw new TrialFailedError('ridge is a regression model; use mlp with layers 0 for a linear classifier');
      return buildMlp(tf, { type: 'mlp', layers: 0, units: 1, activation: 'linear', dropout: 0, l2: 0 }, inputShape, 0, rng);
    case 'cnn':
      if (inputShape.length !== 3) {
        throw new TrialFailedError('a cnn needs image input: set data.input to { "kind": "image", "shape": [h, w, c] }');
      }
      return buildCnn(tf, spec, inputShape as [number, number, number], outputs, rng);
    case 'rnn':
      if (inputShape.length < 2) {
        throw new TrialFailedError('an rnn needs sequence input: images (read row by row) or windows of a series');
      }
      return buildRnn(tf, spec, inputShape, outputs, rng);
  }
}

