import type * as tfTypes from '@tensorflow/tfjs';
import { TrialFailedError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { registerAutotuneLayers } from './attention.js';
import type { TransformerSpec } from './model-specs.js';
import { outputLayer, type ModelOutput } from './model-output.js';

/**
 * A Transformer encoder classifier over token ids: token + position embeddings → `blocks` pre-norm encoder
 * blocks (multi-head self-attention and a feed-forward layer, each with a residual connection) → the mean over
 * real tokens → dropout → output. The custom layers serialize, so the model saves and reloads as a LayersModel.
 */
export function buildTransformer(
  tf: typeof tfTypes,
  spec: TransformerSpec,
  sequenceLength: number,
  vocabularySize: number,
  output: ModelOutput,
  rng: Rng,
): tfTypes.LayersModel {
  if (spec.embedDim % spec.heads !== 0) {
    throw new TrialFailedError(`a transformer's embedDim (${spec.embedDim}) must be divisible by its heads (${spec.heads})`);
  }
  const { TokenAndPositionEmbedding, TransformerEncoderBlock, MaskedAveragePooling } = registerAutotuneLayers(tf);
  const ids = tf.input({ shape: [sequenceLength], name: 'token_ids' });
  let x = new TokenAndPositionEmbedding({ vocabularySize, sequenceLength, embedDim: spec.embedDim, seed: rng.uint32() }).apply(
    ids,
  ) as tfTypes.SymbolicTensor;
  for (let b = 0; b < spec.blocks; b++) {
    const block = new TransformerEncoderBlock({
      heads: spec.heads,
      ffUnits: spec.ffUnits,
      dropout: spec.dropout,
      l2: spec.l2,
      seed: rng.uint32(),
    });
    x = block.apply([x, ids]) as tfTypes.SymbolicTensor;
  }
  let pooled = new MaskedAveragePooling({}).apply([x, ids]) as tfTypes.SymbolicTensor;
  if (spec.dropout > 0) pooled = tf.layers.dropout({ rate: spec.dropout }).apply(pooled) as tfTypes.SymbolicTensor;
  const head = outputLayer(tf, output, rng).apply(pooled) as tfTypes.SymbolicTensor;
  return tf.model({ inputs: ids, outputs: head });
}
