import type * as tfTypes from '@tensorflow/tfjs';
import { TrialFailedError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { buildCnn } from './cnn.js';
import type { ModelSpec } from './hyperparameters.js';
import { buildMlp } from './mlp.js';
import { buildRnn } from './rnn.js';
import { buildTransformer } from './transformer.js';

/** What a model reads: the shape of one example and, for text as token ids, how many ids there are. */
export interface ModelInput {
  readonly shape: readonly number[];
  /** Token ids lie in [0, vocabularySize); 0 when the input is real-valued features. */
  readonly vocabularySize: number;
}

/**
 * Builds the model a trial asked for, for `input` and `outputs` classes (0: one regression output). A model that
 * cannot read this input (a CNN on a table, a Transformer on numbers) fails the trial with that reason.
 */
export function buildModel(tf: typeof tfTypes, spec: ModelSpec, input: ModelInput, outputs: number, rng: Rng): tfTypes.LayersModel {
  const { shape, vocabularySize } = input;
  const tokens = vocabularySize > 0;
  if (tokens && (spec.type === 'mlp' || spec.type === 'cnn' || spec.type === 'ridge')) {
    throw new TrialFailedError(`a ${spec.type} cannot read token ids: use rnn or transformer, or data.input.representation "tfidf"`);
  }
  switch (spec.type) {
    case 'mlp':
      return buildMlp(tf, spec, shape, outputs, rng);
    case 'ridge':
      if (outputs > 0) throw new TrialFailedError('ridge is a regression model; use mlp with layers 0 for a linear classifier');
      return buildMlp(tf, { type: 'mlp', layers: 0, units: 1, batchNorm: false, residual: false, activation: 'linear', dropout: 0, l2: 0 }, shape, 0, rng);
    case 'cnn':
      if (shape.length !== 3) {
        throw new TrialFailedError('a cnn needs image input: set data.input to { "kind": "image", "shape": [h, w, c] }');
      }
      return buildCnn(tf, spec, shape as [number, number, number], outputs, rng);
    case 'rnn':
      if (shape.length < 2 && !tokens) {
        throw new TrialFailedError('an rnn needs sequence input: text as tokens, images (read row by row) or windows of a series');
      }
      return buildRnn(tf, spec, input, outputs, rng);
    case 'transformer':
      if (!tokens) throw new TrialFailedError('a transformer reads text as token ids: set data.input to { "kind": "text" }');
      return buildTransformer(tf, spec, shape[0] as number, vocabularySize, outputs, rng);
  }
}
