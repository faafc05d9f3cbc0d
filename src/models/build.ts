import type * as tfTypes from '@tensorflow/tfjs';
import { TrialFailedError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { buildCnn } from './cnn.js';
import { CLASSIFICATION_ONLY_FAMILIES, REGRESSION_ONLY_FAMILIES } from './families.js';
import type { ModelSpec } from './model-specs.js';
import { buildMlp } from './mlp.js';
import type { ModelInput } from './model-input.js';
import type { ModelOutput } from './model-output.js';
import { buildRnn } from './rnn.js';
import { buildTransformer } from './transformer.js';

// Families that weigh each input as a number: a token id is a name, not a quantity.
const READS_NUMBERS: readonly string[] = ['mlp', 'cnn', 'ridge', 'logistic', 'seasonalNaive'];

/**
 * Why a model cannot read this input, or undefined when it can: a CNN on a table, a Transformer on numbers, an MLP
 * on token ids, a ridge classifier.
 */
export function modelInputProblem(spec: ModelSpec, input: ModelInput, output: ModelOutput): string | undefined {
  const { shape, vocabularySize } = input;
  const tokens = vocabularySize > 0;
  if (tokens && READS_NUMBERS.includes(spec.type)) {
    return `a ${spec.type} cannot read token ids: use rnn or transformer, or data.input.representation "tfidf"`;
  }
  if (spec.type === 'ridge' && output.kind === 'classes')
    return 'ridge is a regression model; use mlp with layers 0 for a linear classifier';
  if (REGRESSION_ONLY_FAMILIES.includes(spec.type) && output.kind === 'classes') return `${spec.type} is a regression model`;
  if (CLASSIFICATION_ONLY_FAMILIES.includes(spec.type) && output.kind !== 'classes')
    return `${spec.type} is a classification model; use ridge or mean for regression`;
  if (spec.type === 'cnn' && shape.length !== 3)
    return 'a cnn needs image input: set data.input to { "kind": "image", "shape": [h, w, c] }';
  if (spec.type === 'rnn' && shape.length < 2 && !tokens)
    return 'an rnn needs sequence input: text as tokens, images (read row by row) or windows of a series';
  if (spec.type === 'transformer' && !tokens) return 'a transformer reads text as token ids: set data.input to { "kind": "text" }';
  return undefined;
}

/**
 * Builds the model a trial asked for, for `input` and `output` (classes, or values: one, or a direct horizon). A
 * model that cannot read this input ({@link modelInputProblem}) fails the trial with that reason.
 */
export function buildModel(tf: typeof tfTypes, spec: ModelSpec, input: ModelInput, output: ModelOutput, rng: Rng): tfTypes.LayersModel {
  const problem = modelInputProblem(spec, input, output);
  if (problem) throw new TrialFailedError(problem);
  const { shape, vocabularySize } = input;
  switch (spec.type) {
    case 'mlp':
      return buildMlp(tf, spec, shape, output, rng);
    case 'ridge':
    case 'logistic':
    case 'majority':
    case 'mean':
    case 'seasonalNaive':
      // One dense layer (softmax for classes) whose weights the closed-form fit writes.
      return buildMlp(
        tf,
        {
          type: 'mlp',
          layers: 0,
          units: 1,
          batchNorm: false,
          residual: false,
          activation: 'linear',
          dropout: 0,
          l2: 0,
          numericEmbedding: 'none',
          embeddingScale: 0.1,
        },
        shape,
        output,
        rng,
      );
    case 'cnn':
      return buildCnn(tf, spec, shape as [number, number, number], output, rng);
    case 'rnn':
      return buildRnn(tf, spec, input, output, rng);
    case 'transformer':
      return buildTransformer(tf, spec, shape[0] as number, vocabularySize, output, rng);
  }
}
