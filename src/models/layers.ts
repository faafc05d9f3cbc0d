import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.js';

/** He initialisation for ReLU-like activations, Glorot otherwise; always seeded from the trial's stream. */
export function seededInitializer(tf: typeof tfTypes, activation: string, rng: Rng): ReturnType<typeof tfTypes.initializers.heNormal> {
  const reluLike = ['relu', 'elu', 'selu', 'swish', 'gelu'].includes(activation);
  return reluLike ? tf.initializers.heNormal({ seed: rng.uint32() }) : tf.initializers.glorotUniform({ seed: rng.uint32() });
}
