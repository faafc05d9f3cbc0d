import { PERIODIC_DIM, PERIODIC_FREQUENCIES } from './attention.js';
import type { ModelInput } from './model-input.js';
import { outputUnits, type ModelOutput } from './model-output.js';
import type { ModelSpec } from './model-specs.js';

/**
 * Trainable parameters a configuration will have, computed from the configuration alone, so a model too large
 * for the study's limit fails as a trial with that reason before any weight is allocated.
 *
 * @example estimateParameters({ type: 'mlp', layers: 1, units: 10, … }, { shape: [4], vocabularySize: 0 }, { kind: 'classes', classes: 3 }) // 4·10+10 + 10·3+3 = 83
 */
export function estimateParameters(spec: ModelSpec, input: ModelInput, output: ModelOutput): number {
  const inputShape = input.shape;
  const out = outputUnits(output);
  const dense = (inputs: number, units: number) => inputs * units + units;
  switch (spec.type) {
    case 'ridge':
    case 'logistic':
    case 'majority':
    case 'mean':
    case 'seasonalNaive':
      return dense(
        inputShape.reduce((a, b) => a * b, 1),
        out,
      );
    case 'mlp': {
      let width = inputShape.reduce((a, b) => a * b, 1);
      let total = 0;
      if (spec.numericEmbedding === 'periodic') {
        total += width * (PERIODIC_FREQUENCIES + 2 * PERIODIC_FREQUENCIES * PERIODIC_DIM + PERIODIC_DIM);
        width *= PERIODIC_DIM;
      }
      for (let i = 0; i < spec.layers; i++) {
        total += dense(width, spec.units) + (spec.batchNorm ? 2 * spec.units : 0);
        width = spec.units;
      }
      return total + dense(width, out);
    }
    case 'cnn': {
      let [height, width, channels] = inputShape as [number, number, number];
      let total = 0;
      const conv = (k: number, cin: number, f: number) => k * k * cin * f + f + (spec.batchNorm ? 2 * f : 0);
      for (let b = 0; b < spec.blocks; b++) {
        const filters = spec.filters * 2 ** b;
        total += conv(spec.kernelSize, channels, filters);
        if (spec.residual) {
          total += conv(spec.kernelSize, filters, filters);
          if (channels !== filters || spec.stride > 1) total += channels * filters + filters;
        }
        channels = filters;
        height = Math.ceil(height / spec.stride);
        width = Math.ceil(width / spec.stride);
        if (spec.pooling !== 'none' && height >= 2 && width >= 2) {
          height = Math.floor(height / 2);
          width = Math.floor(width / 2);
        }
      }
      const flat = spec.head === 'flatten' ? height * width * channels : channels;
      return total + (spec.dense > 0 ? dense(flat, spec.dense) + dense(spec.dense, out) : dense(flat, out));
    }
    case 'rnn': {
      const gates = spec.cell === 'lstm' ? 4 : spec.cell === 'gru' ? 3 : 1;
      const directions = spec.bidirectional ? 2 : 1;
      const embedded = input.vocabularySize > 0;
      let features = embedded ? spec.embedDim : inputShape.slice(1).reduce((a, b) => a * b, 1);
      let total = embedded ? input.vocabularySize * spec.embedDim : 0;
      for (let i = 0; i < spec.layers; i++) {
        total += directions * (gates * spec.units * (features + spec.units + 1));
        features = directions * spec.units;
      }
      return total + dense(features, out);
    }
    case 'transformer': {
      const d = spec.embedDim;
      const embeddings = (input.vocabularySize + (inputShape[0] as number)) * d;
      const block = 4 * dense(d, d) + 2 * 2 * d + dense(d, spec.ffUnits) + dense(spec.ffUnits, d);
      return embeddings + spec.blocks * block + dense(d, out);
    }
  }
}
