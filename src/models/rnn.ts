import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.js';
import { outputLayer, type ModelOutput } from './model-output.js';
import type { ModelInput } from './model-input.js';
import type { RnnSpec } from './model-specs.js';

/**
 * A stacked recurrent network (LSTM, GRU or SimpleRNN, optionally bidirectional) over the first axis of the
 * input; an image [h, w, c] is read as h steps of w·c features, token ids pass through a word embedding first.
 */
export function buildRnn(tf: typeof tfTypes, spec: RnnSpec, input: ModelInput, output: ModelOutput, rng: Rng): tfTypes.Sequential {
  const inputShape = input.shape;
  const steps = inputShape[0] as number;
  const features = inputShape.slice(1).reduce((a, b) => a * b, 1);
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [...inputShape] }));
  if (input.vocabularySize > 0) {
    model.add(
      tf.layers.embedding({
        inputDim: input.vocabularySize,
        outputDim: spec.embedDim,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: rng.uint32() }),
      }),
    );
  } else if (inputShape.length > 2) model.add(tf.layers.reshape({ targetShape: [steps, features] }));
  const make = { lstm: tf.layers.lstm, gru: tf.layers.gru, simple: tf.layers.simpleRNN }[spec.cell];
  for (let i = 0; i < spec.layers; i++) {
    const cell = make({
      units: spec.units,
      returnSequences: i < spec.layers - 1,
      kernelInitializer: tf.initializers.glorotUniform({ seed: rng.uint32() }),
      // Orthogonal recurrent weights are standard, but tfjs computes them slowly (and warns) past 2,000 elements.
      recurrentInitializer:
        spec.units * spec.units * gates(spec.cell) <= 2000
          ? tf.initializers.orthogonal({ seed: rng.uint32() })
          : tf.initializers.glorotUniform({ seed: rng.uint32() }),
      ...(spec.l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2: spec.l2 }) } : {}),
    });
    model.add(spec.bidirectional ? tf.layers.bidirectional({ layer: cell as tfTypes.RNN }) : cell);
    if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
  }
  model.add(outputLayer(tf, output, rng));
  return model;
}

function gates(cell: RnnSpec['cell']): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}
