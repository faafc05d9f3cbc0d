import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { registerAutotuneLayers } from '../../src/models/attention.js';
import { registerWasmKernels } from '../../src/training/wasm/register.js';

const rng = new Rng(2024);
const randomArray = (n: number) => Float32Array.from({ length: n }, () => rng.normal());

/** Runs `compute` on a backend with fresh tensors and returns its values. */
async function on(backend: 'cpu' | 'wasm', compute: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const out = tf.tidy(compute);
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return values;
}

function expectClose(actual: Float32Array, expected: Float32Array, relative = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(1e-6, ...Array.from(expected, Math.abs));
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)) / scale);
  expect(worst).toBeLessThan(relative);
}

beforeAll(async () => {
  registerWasmKernels();
  tf.env().set('PROD', true);
  await tf.setBackend('wasm');
  await tf.ready();
});

describe("autotune's wasm kernel pack matches the cpu backend", () => {
  type Shape4 = [number, number, number, number];
  const convCases: [string, Shape4, Shape4, number, 'same' | 'valid'][] = [
    ['batch 1, 3×3, same', [1, 7, 7, 3], [3, 3, 3, 5], 1, 'same'],
    ['odd sizes, stride 2, valid', [3, 9, 11, 2], [3, 2, 2, 4], 2, 'valid'],
    ['5×5 on 28×28', [2, 28, 28, 1], [5, 5, 1, 8], 1, 'same'],
    ['1×1 filter', [4, 5, 5, 6], [1, 1, 6, 3], 1, 'valid'],
  ];

  it.each(convCases)('Conv2DBackpropFilter and Conv2DBackpropInput: %s', async (_name, xShape, wShape, stride, pad) => {
    const x = randomArray(xShape.reduce((a, b) => a * b, 1));
    const w = randomArray(wShape.reduce((a, b) => a * b, 1));
    const outShape = tf.tidy(
      () => tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, tf.zeros(wShape) as tf.Tensor4D, stride, pad).shape,
    ) as number[];
    const dy = randomArray(outShape.reduce((a, b) => a * b, 1));
    const filterGrad = () =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x: tf.tensor4d(x, xShape as never), dy: tf.tensor4d(dy, outShape as never) },
          { strides: stride, pad, dataFormat: 'NHWC', filterShape: wShape },
        ) as tf.Tensor;
    expectClose(await on('wasm', filterGrad), await on('cpu', filterGrad));
    const inputGrad = () =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropInput',
          { dy: tf.tensor4d(dy, outShape as never), filter: tf.tensor4d(w, wShape as never) },
          { strides: stride, pad, dataFormat: 'NHWC', inputShape: xShape },
        ) as tf.Tensor;
    expectClose(await on('wasm', inputGrad), await on('cpu', inputGrad));
    // And the gradients a model actually asks for, end to end through tf.grads.
    for (const which of [0, 1]) {
      const viaGrads = () =>
        tf.grads((xt: tf.Tensor, wt: tf.Tensor) =>
          tf
            .conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, stride, pad)
            .mul(tf.tensor(dy, outShape))
            .sum(),
        )([tf.tensor4d(x, xShape as never), tf.tensor4d(w, wShape as never)])[which] as tf.Tensor;
      expectClose(await on('wasm', viaGrads), await on('cpu', viaGrads));
    }
  });

  it('Conv2DBackpropFilter agrees with a numerical gradient', async () => {
    const xShape = [2, 6, 5, 2];
    const wShape = [3, 3, 2, 3];
    const x = randomArray(48 * 2 + 24);
    const w = randomArray(54);
    const r = randomArray(2 * 6 * 5 * 3);
    await tf.setBackend('wasm');
    const loss = (wt: Float32Array) =>
      tf.tidy(
        () =>
          tf
            .conv2d(tf.tensor4d(x.subarray(0, 120), xShape as never), tf.tensor4d(wt, wShape as never), 1, 'same')
            .mul(tf.tensor(r, [2, 6, 5, 3]))
            .sum()
            .dataSync()[0] as number,
      );
    const analytic = tf.tidy(
      () =>
        tf
          .grad((wt: tf.Tensor) =>
            tf
              .conv2d(tf.tensor4d(x.subarray(0, 120), xShape as never), wt as tf.Tensor4D, 1, 'same')
              .mul(tf.tensor(r, [2, 6, 5, 3]))
              .sum(),
          )(tf.tensor4d(w, wShape as never))
          .dataSync() as Float32Array,
    );
    for (const i of [0, 7, 23, 40, 53]) {
      const plus = Float32Array.from(w);
      const minus = Float32Array.from(w);
      plus[i]! += 1e-2;
      minus[i]! -= 1e-2;
      const numeric = (loss(plus) - loss(minus)) / 2e-2;
      expect(Math.abs(numeric - (analytic[i] as number))).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
    }
  });

  it('UnsortedSegmentSum (the gradient of an embedding lookup)', async () => {
    const x = randomArray(7 * 4);
    const ids = Int32Array.of(3, 0, 3, 9, 1, 3, -1);
    const sum = () => tf.unsortedSegmentSum(tf.tensor2d(x, [7, 4]), tf.tensor1d(ids, 'int32'), 5);
    const wasm = await on('wasm', sum);
    expectClose(wasm, await on('cpu', sum));
    expect(wasm.slice(12, 16).every((v, j) => Math.abs(v - (x[j] as number) - (x[8 + j] as number) - (x[20 + j] as number)) < 1e-5)).toBe(
      true,
    );
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('BatchMatMul with transposeA=%s transposeB=%s, batched and odd-sized', async (ta, tb) => {
    const a = randomArray(3 * 17 * 9);
    const b = randomArray(3 * 9 * 5);
    const aShape = ta ? [3, 9, 17] : [3, 17, 9];
    const bShape = tb ? [3, 5, 9] : [3, 9, 5];
    const product = () => tf.matMul(tf.tensor3d(a, aShape as never), tf.tensor3d(b, bShape as never), ta, tb);
    expectClose(await on('wasm', product), await on('cpu', product));
    const fused = () =>
      tf.fused.matMul({
        a: tf.tensor3d(a, aShape as never),
        b: tf.tensor3d(b, bShape as never),
        transposeA: ta,
        transposeB: tb,
        bias: tf.ones([5]),
        activation: 'relu',
      });
    expectClose(await on('wasm', fused), await on('cpu', fused));
  });
});

describe('every architecture trains on every backend (a gap here is a missing kernel)', () => {
  const architectures: Record<string, () => [tf.Sequential, number[], boolean]> = {
    'mlp + batch norm + dropout': () => {
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: 16, activation: 'relu', inputShape: [8] }));
      m.add(tf.layers.batchNormalization());
      m.add(tf.layers.dropout({ rate: 0.2 }));
      m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
      return [m, [4, 8], false];
    },
    'cnn: conv2d, pooling, batch norm, global pooling': () => {
      const m = tf.sequential();
      m.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1], padding: 'same' }));
      m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      m.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, activation: 'relu' }));
      m.add(tf.layers.batchNormalization());
      m.add(tf.layers.averagePooling2d({ poolSize: 1 }));
      m.add(tf.layers.globalAveragePooling2d({}));
      m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
      return [m, [4, 8, 8, 1], false];
    },
    'conv1d over a sequence': () => {
      const m = tf.sequential();
      m.add(tf.layers.conv1d({ filters: 4, kernelSize: 3, inputShape: [10, 2] }));
      m.add(tf.layers.maxPooling1d({ poolSize: 2 }));
      m.add(tf.layers.flatten());
      m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
      return [m, [4, 10, 2], false];
    },
    'stacked lstm': () => {
      const m = tf.sequential();
      m.add(tf.layers.lstm({ units: 8, inputShape: [5, 4], returnSequences: true }));
      m.add(tf.layers.lstm({ units: 8 }));
      m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
      return [m, [4, 5, 4], false];
    },
    'bidirectional gru': () => {
      const m = tf.sequential();
      m.add(tf.layers.bidirectional({ layer: tf.layers.gru({ units: 8 }) as tf.RNN, inputShape: [5, 4] }));
      m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
      return [m, [4, 5, 4], false];
    },
    'simple rnn': () => {
      const m = tf.sequential();
      m.add(tf.layers.simpleRNN({ units: 8, inputShape: [5, 4] }));
      m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
      return [m, [4, 5, 4], false];
    },
    'embedding + layer norm (text)': () => {
      const m = tf.sequential();
      m.add(tf.layers.embedding({ inputDim: 20, outputDim: 6, inputLength: 5 }));
      m.add(tf.layers.layerNormalization());
      m.add(tf.layers.globalAveragePooling1d());
      m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
      return [m, [4, 5], true];
    },
  };

  for (const backend of ['cpu', 'wasm'] as const) {
    it.each(Object.keys(architectures))(`${backend}: %s, with sgd, adam and rmsprop`, async (name) => {
      await tf.setBackend(backend);
      for (const optimizer of ['sgd', 'adam', 'rmsprop']) {
        const [model, shape, integer] = (architectures[name] as () => [tf.Sequential, number[], boolean])();
        model.compile({ optimizer, loss: 'categoricalCrossentropy' });
        const x = integer ? tf.randomUniform(shape, 0, 20, 'int32', 1) : tf.randomNormal(shape, 0, 1, 'float32', 1);
        const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3).toFloat();
        const history = await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, shuffle: false });
        expect(history.history.loss?.every((l) => Number.isFinite(l as number))).toBe(true);
        tf.dispose([x, y]);
        model.dispose();
      }
    });
  }

  it('attention: gradients through softmax(QKᵀ)V', async () => {
    const q = randomArray(2 * 4 * 8);
    const k = randomArray(2 * 4 * 8);
    const attention = () =>
      tf.grad((qt: tf.Tensor) =>
        tf.matMul(tf.softmax(tf.matMul(qt as tf.Tensor3D, tf.tensor3d(k, [2, 4, 8]), false, true)), tf.tensor3d(k, [2, 4, 8])).sum(),
      )(tf.tensor3d(q, [2, 4, 8]));
    expectClose(await on('wasm', attention), await on('cpu', attention));
  });

  it('periodic numeric embedding: gradients of its weights and inputs, batch 1 and an odd width', async () => {
    const { PeriodicEmbedding } = registerAutotuneLayers(tf);
    for (const [batch, columns] of [
      [1, 3],
      [5, 7],
    ] as const) {
      const x = randomArray(batch * columns);
      // The input's gradient, then the frequencies', the kernel's and the bias's, flattened into one vector.
      const gradients = () => {
        const layer = new PeriodicEmbedding({ scale: 0.5, seed: 11 });
        const input = tf.tensor2d(x, [batch, columns]);
        const loss = (t: tf.Tensor) => (layer.apply(t) as tf.Tensor).square().sum() as tf.Scalar;
        const inputGradient = tf.grad(loss)(input);
        const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => loss(input), variables);
        const result = tf.concat([inputGradient.flatten(), ...variables.map((v) => (grads[v.name] as tf.Tensor).flatten())]);
        layer.dispose();
        return result;
      };
      expectClose(await on('wasm', gradients), await on('cpu', gradients), 1e-3);
    }
  });
});
