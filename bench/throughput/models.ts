// The five reference models of shared/reference/optuna.md, with their shapes, batch sizes and optimizer (Adam),
// each as a function that performs one training step on a fixed random batch. bench/throughput/pytorch.py defines
// the same five under the same keys; test/bench/training-throughput.test.ts compares their parameter counts.
import type * as tfTypes from '@tensorflow/tfjs';
import { sequentialTrainingFlops, type TransformerShape, transformerTrainingFlops } from './flops.js';

/** A reference model built on the current backend, with what the report needs to know of it. */
export interface BuiltModel {
  /** One training step (forward, backward, Adam) on the fixed batch, finished when it resolves. */
  step(): Promise<void>;
  dispose(): void;
  readonly parameters: number;
  /** FLOPs of one training step by the rule of flops.ts. */
  readonly flopsPerStep: number;
}

export interface ReferenceModel {
  /** The model's name in pytorch.py (`--model KEY`). */
  readonly key: string;
  readonly name: string;
  readonly batch: number;
  build(tf: typeof tfTypes): BuiltModel;
}

function layersModel(tf: typeof tfTypes, model: tfTypes.Sequential, inputShape: number[], batch: number): BuiltModel {
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const x = tf.randomNormal([batch, ...inputShape], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 2), 10).toFloat();
  return {
    async step() {
      await model.trainOnBatch(x, y);
    },
    dispose() {
      tf.dispose([x, y]);
      model.dispose();
    },
    parameters: model.countParams(),
    flopsPerStep: sequentialTrainingFlops(model, batch),
  };
}

export const REFERENCE_MODELS: readonly ReferenceModel[] = [
  {
    key: 'mlp',
    name: 'MLP 64→256→256→10',
    batch: 64,
    build: (tf) => {
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: 256, activation: 'relu', inputShape: [64] }));
      m.add(tf.layers.dense({ units: 256, activation: 'relu' }));
      m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
      return layersModel(tf, m, [64], 64);
    },
  },
  {
    key: 'cnn8',
    name: 'CNN 8×8: conv3×3(16), conv3×3(32), dense(10)',
    batch: 64,
    build: (tf) => {
      const m = tf.sequential();
      m.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }));
      m.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
      m.add(tf.layers.flatten());
      m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
      return layersModel(tf, m, [8, 8, 1], 64);
    },
  },
  {
    key: 'cnn28',
    name: 'CNN 28×28: conv5×5(32), pool, conv5×5(64), pool, dense(128), dense(10)',
    batch: 64,
    build: (tf) => {
      const m = tf.sequential();
      m.add(tf.layers.conv2d({ filters: 32, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }));
      m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      m.add(tf.layers.conv2d({ filters: 64, kernelSize: 5, activation: 'relu' }));
      m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      m.add(tf.layers.flatten());
      m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
      m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
      return layersModel(tf, m, [28, 28, 1], 64);
    },
  },
  {
    key: 'lstm',
    name: 'LSTM(64) over 50 steps × 32 features → dense(10)',
    batch: 64,
    build: (tf) => {
      const m = tf.sequential();
      m.add(tf.layers.lstm({ units: 64, inputShape: [50, 32] }));
      m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
      return layersModel(tf, m, [50, 32], 64);
    },
  },
  {
    key: 'transformer',
    name: 'Transformer encoder, 2 layers, d=64, 4 heads, ff 128, sequence 32',
    batch: 32,
    build: (tf) => transformer(tf, { layers: 2, d: 64, heads: 4, ff: 128, sequence: 32, batch: 32, classes: 10 }),
  },
];

/** A post-norm Transformer encoder (as PyTorch's TransformerEncoderLayer) written with tf ops and variables. */
function transformer(tf: typeof tfTypes, s: TransformerShape): BuiltModel {
  let seed = 10;
  const weight = (shape: number[]) => tf.variable(tf.randomNormal(shape, 0, 1 / Math.sqrt(shape[0] as number), 'float32', seed++));
  const zeros = (n: number) => tf.variable(tf.zeros([n]));
  const ones = (n: number) => tf.variable(tf.ones([n]));
  const blocks = Array.from({ length: s.layers }, () => ({
    wq: weight([s.d, s.d]),
    wk: weight([s.d, s.d]),
    wv: weight([s.d, s.d]),
    wo: weight([s.d, s.d]),
    bq: zeros(s.d),
    bk: zeros(s.d),
    bv: zeros(s.d),
    bo: zeros(s.d),
    w1: weight([s.d, s.ff]),
    b1: zeros(s.ff),
    w2: weight([s.ff, s.d]),
    b2: zeros(s.d),
    g1: ones(s.d),
    be1: zeros(s.d),
    g2: ones(s.d),
    be2: zeros(s.d),
  }));
  const head = { w: weight([s.d, s.classes]), b: zeros(s.classes) };
  const x = tf.randomNormal([s.batch, s.sequence, s.d], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.randomUniform([s.batch], 0, s.classes, 'int32', 2), s.classes).toFloat();
  const optimizer = tf.train.adam(1e-3);
  const dh = s.d / s.heads;
  const dense = (t: tfTypes.Tensor, w: tfTypes.Variable, b: tfTypes.Variable) =>
    tf.add(tf.matMul(t.reshape([-1, w.shape[0] as number]), w), b).reshape([s.batch, s.sequence, w.shape[1] as number]);
  const layerNorm = (t: tfTypes.Tensor, g: tfTypes.Variable, b: tfTypes.Variable) => {
    const { mean, variance } = tf.moments(t, -1, true);
    return t.sub(mean).div(variance.add(1e-5).sqrt()).mul(g).add(b);
  };
  const split = (t: tfTypes.Tensor) => t.reshape([s.batch, s.sequence, s.heads, dh]).transpose([0, 2, 1, 3]);
  const forward = () => {
    let h: tfTypes.Tensor = x;
    for (const p of blocks) {
      const q = split(dense(h, p.wq, p.bq));
      const k = split(dense(h, p.wk, p.bk));
      const v = split(dense(h, p.wv, p.bv));
      const attention = tf.softmax(tf.matMul(q, k, false, true).div(Math.sqrt(dh)));
      const merged = tf.matMul(attention, v).transpose([0, 2, 1, 3]).reshape([s.batch, s.sequence, s.d]);
      h = layerNorm(h.add(dense(merged, p.wo, p.bo)), p.g1, p.be1);
      const inner = tf.relu(dense(h, p.w1, p.b1));
      h = layerNorm(h.add(dense(inner, p.w2, p.b2)), p.g2, p.be2);
    }
    const logits = tf.add(tf.matMul(h.mean(1), head.w), head.b);
    return tf.losses.softmaxCrossEntropy(y, logits) as tfTypes.Scalar;
  };
  return {
    async step() {
      const loss = optimizer.minimize(forward, true);
      await loss?.data();
      loss?.dispose();
    },
    dispose() {
      tf.dispose([x, y]);
      optimizer.dispose();
      for (const p of blocks) tf.dispose(Object.values(p));
      tf.dispose([head.w, head.b]);
    },
    parameters: [...blocks.flatMap((p) => Object.values(p)), head.w, head.b].reduce((n, v) => n + v.size, 0),
    flopsPerStep: transformerTrainingFlops(s),
  };
}
