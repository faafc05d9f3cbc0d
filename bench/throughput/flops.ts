// The floating-point operations of one training step, counted analytically, so that a samples/s figure can be read
// as GFLOP/s against the machine's measured matmul peak. The rule:
// - only matrix products count (dense, convolution, the LSTM's gate products, attention's QKᵀ and AV): a product of
//   an m×k by a k×n matrix is 2·m·k·n FLOPs (a multiply and an add); a convolution is the product of its im2col
//   matrix (batch·outH·outW × kH·kW·inC) by its filter (kH·kW·inC × outC);
// - a training step is the forward product, the weights' gradient (same size) and the input's gradient (same size),
//   so 3× the forward count — 2× for a product whose input is the batch itself, as nothing asks for the data's
//   gradient (neither PyTorch's autograd nor tfjs's tape computes it);
// - elementwise work (activations, softmax, layer norm, pooling, bias adds, the loss, Adam's update) is left out:
//   it is linear in the activations or weights, not in activations × fan-in, and is a few percent of these models.
import type * as tfTypes from '@tensorflow/tfjs';

/** Training FLOPs of one product of an m×k by a k×n matrix; `ofData` when its left operand is the input batch. */
export function productTrainingFlops(m: number, k: number, n: number, ofData: boolean): number {
  return 2 * m * k * n * (ofData ? 2 : 3);
}

const size = (dims: readonly (number | null)[]) => dims.reduce<number>((p, d) => p * (d ?? 1), 1);

/** A layer's training FLOPs by the rule above; a layer with weights it does not know is an error, never zero. */
function layerTrainingFlops(layer: tfTypes.layers.Layer, batch: number, ofData: boolean): number {
  const input = (layer.input as tfTypes.SymbolicTensor).shape;
  const weight = (i: number) => layer.trainableWeights[i]?.shape as number[];
  switch (layer.getClassName()) {
    case 'Dense': {
      const [k, n] = weight(0) as [number, number];
      return productTrainingFlops(batch * size(input.slice(1, -1)), k, n, ofData);
    }
    case 'Conv2D': {
      const [kh, kw, inC, outC] = weight(0) as [number, number, number, number];
      const [, outH, outW] = layer.outputShape as [null, number, number, number];
      return productTrainingFlops(batch * outH * outW, kh * kw * inC, outC, ofData);
    }
    case 'LSTM': {
      const [features, gates] = weight(0) as [number, number];
      const [units] = weight(1) as [number];
      const steps = input[1] as number;
      // Per step: the input's product (of the data when first) and the hidden state's (never data).
      return steps * (productTrainingFlops(batch, features, gates, ofData) + productTrainingFlops(batch, units, gates, false));
    }
    default:
      if (layer.trainableWeights.length > 0) throw new Error(`flops: no counting rule for a ${layer.getClassName()} layer`);
      return 0;
  }
}

/** Training FLOPs of one step of a sequential model on `batch` samples. */
export function sequentialTrainingFlops(model: tfTypes.Sequential, batch: number): number {
  let total = 0;
  let ofData = true;
  for (const layer of model.layers) {
    total += layerTrainingFlops(layer, batch, ofData);
    // Layers without weights (flatten, pooling) pass the data on; the first with weights makes activations.
    if (layer.trainableWeights.length > 0) ofData = false;
  }
  return total;
}

export interface TransformerShape {
  readonly layers: number;
  readonly d: number;
  readonly heads: number;
  readonly ff: number;
  readonly sequence: number;
  readonly batch: number;
  readonly classes: number;
}

/** Training FLOPs of one step of the post-norm encoder of models.ts: projections, attention, feed-forward, head. */
export function transformerTrainingFlops(s: TransformerShape): number {
  const tokens = s.batch * s.sequence;
  const dh = s.d / s.heads;
  let total = 0;
  for (let block = 0; block < s.layers; block++) {
    total += 3 * productTrainingFlops(tokens, s.d, s.d, block === 0); // q, k, v of the input (the data in block 0)
    total += s.batch * s.heads * productTrainingFlops(s.sequence, dh, s.sequence, false); // QKᵀ
    total += s.batch * s.heads * productTrainingFlops(s.sequence, s.sequence, dh, false); // attention · V
    total += productTrainingFlops(tokens, s.d, s.d, false); // output projection
    total += productTrainingFlops(tokens, s.d, s.ff, false) + productTrainingFlops(tokens, s.ff, s.d, false);
  }
  return total + productTrainingFlops(s.batch, s.d, s.classes, false);
}

/** FLOPs of one n×n by n×n matrix product, the GEMM the peak is measured with. */
export const gemmFlops = (n: number): number => 2 * n ** 3;
