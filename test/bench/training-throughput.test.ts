import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_MODELS } from '../../bench/throughput/models.js';
import { runPytorch, torchInstalled } from '../../bench/throughput/pytorch-peer.js';

/** What the report reads of a reference model, built on the cpu backend (building trains nothing). */
function facts(key: string) {
  const model = REFERENCE_MODELS.find((m) => m.key === key)!;
  const { parameters, flopsPerStep, dispose } = model.build(tf);
  dispose();
  return { parameters, flopsPerStep };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// The benchmark's GFLOP/s are these counts over measured time: a layer counted wrong, or a new layer counted as
// nothing, shows here. Counts by hand from the layer sizes: 2·m·k·n a product, ×3 for a training step, ×2 where
// the product's input is the batch itself (nothing needs the data's gradient).
describe('bench: FLOPs of a training step', () => {
  it('counts the 28×28 CNN layer by layer, valid padding and pooling included', () => {
    const conv1 = 2 * (64 * 24 * 24) * (5 * 5 * 1) * 32 * 2; // of the data: no input gradient
    const conv2 = 2 * (64 * 8 * 8) * (5 * 5 * 32) * 64 * 3; // 12×12 after pooling, 8×8 out
    const dense1 = 2 * 64 * (4 * 4 * 64) * 128 * 3;
    const dense2 = 2 * 64 * 128 * 10 * 3;
    expect(facts('cnn28').flopsPerStep).toBe(conv1 + conv2 + dense1 + dense2);
  });

  it('counts the LSTM per time step, its input product of the data and its recurrent one not', () => {
    const perStep = 2 * 64 * 32 * (4 * 64) * 2 + 2 * 64 * 64 * (4 * 64) * 3;
    expect(facts('lstm').flopsPerStep).toBe(50 * perStep + 2 * 64 * 64 * 10 * 3);
  });
});

// pytorch.py must define the models models.ts trains, or the benchmark's ratios compare different work.
describe('bench: the PyTorch models are the TypeScript ones', () => {
  const torch = torchInstalled();
  const title = 'have the same trainable parameter count, model by model';
  it.skipIf(!torch)(torch ? title : `${title} — skipped: /usr/bin/python3 cannot import torch (Debian's python3-torch)`, () => {
    const theirs = runPytorch(['--param-counts']);
    const ours = Object.fromEntries(REFERENCE_MODELS.map((m) => [m.key, facts(m.key).parameters]));
    expect(Object.keys(ours)).toHaveLength(5);
    expect(theirs).toEqual(ours);
  });
});
