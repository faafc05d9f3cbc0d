import type * as tfTypes from '@tensorflow/tfjs';

/**
 * Our tfjs custom layers: the Transformer's building blocks and the MLP's periodic numeric embedding. tfjs-layers has no attention layer, so these are
 * written with core ops and registered for serialization: a saved model reloads with `tf.loadLayersModel` once
 * `registerAutotuneLayers(tf)` has run.
 *
 * This module has no runtime imports on purpose: an export copies its compiled file as `autotune-layers.js`, and
 * a browser page or any Node program registers the layers with its own copy of TensorFlow.js.
 *
 * The layers that need to know where padding is take the token ids as a second input rather than relying on
 * tfjs's implicit mask propagation, which custom layers and our own training loop do not reliably receive.
 */

type Tf = typeof tfTypes;
type LayerArgs = NonNullable<ConstructorParameters<typeof tfTypes.layers.Layer>[0]>;
type Shape = (number | null)[];
type Kwargs = { training?: boolean };

export interface TokenAndPositionEmbeddingArgs extends LayerArgs {
  vocabularySize: number;
  sequenceLength: number;
  embedDim: number;
  seed?: number;
}

export interface TransformerEncoderBlockArgs extends LayerArgs {
  heads: number;
  ffUnits: number;
  dropout: number;
  l2: number;
  seed?: number;
}

export interface PeriodicEmbeddingArgs extends LayerArgs {
  /** Standard deviation of the initial frequencies. */
  scale: number;
  seed?: number;
}

/** Frequencies per column and the width of each column's embedding (the "lite" sizes of Gorishniy et al.). */
export const PERIODIC_FREQUENCIES = 16;
export const PERIODIC_DIM = 16;

type LayerClass<A> = new (args: A) => tfTypes.layers.Layer;

/** The custom layer classes, as registered with one TensorFlow.js instance. */
export interface AutotuneLayers {
  readonly TokenAndPositionEmbedding: LayerClass<TokenAndPositionEmbeddingArgs>;
  readonly TransformerEncoderBlock: LayerClass<TransformerEncoderBlockArgs>;
  readonly MaskedAveragePooling: LayerClass<LayerArgs>;
  readonly PeriodicEmbedding: LayerClass<PeriodicEmbeddingArgs>;
}

const registered = new WeakMap<object, AutotuneLayers>();

/**
 * Defines and registers the custom layers for this TensorFlow.js instance (once per instance), returning their
 * classes.
 *
 * @example const { TransformerEncoderBlock } = registerAutotuneLayers(tf);
 */
export function registerAutotuneLayers(tf: Tf): AutotuneLayers {
  let layers = registered.get(tf);
  if (!layers) {
    layers = defineLayers(tf);
    registered.set(tf, layers);
  }
  return layers;
}

function defineLayers(tf: Tf): AutotuneLayers {
  function first(inputs: tfTypes.Tensor | tfTypes.Tensor[]): tfTypes.Tensor {
    return Array.isArray(inputs) ? (inputs[0] as tfTypes.Tensor) : inputs;
  }

  function l2(strength: number): ReturnType<typeof tf.regularizers.l2> | undefined {
    return strength > 0 ? tf.regularizers.l2({ l2: strength }) : undefined;
  }

  /** 1 at a real token, 0 at padding (id 0): [batch, steps]. */
  function tokenMask(ids: tfTypes.Tensor): tfTypes.Tensor {
    return ids.greater(0).toFloat();
  }

  /** Token ids [batch, steps] → learned token embedding plus learned position embedding [batch, steps, embedDim]. */
  class TokenAndPositionEmbedding extends tf.layers.Layer {
    static readonly className = 'AutotuneTokenAndPositionEmbedding';
    private readonly spec: TokenAndPositionEmbeddingArgs;
    private tokens?: tfTypes.LayerVariable;
    private positions?: tfTypes.LayerVariable;

    constructor(args: TokenAndPositionEmbeddingArgs) {
      super(args);
      this.spec = args;
    }

    override build(): void {
      const { vocabularySize, sequenceLength, embedDim, seed } = this.spec;
      const init = (offset: number) =>
        tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, ...(seed === undefined ? {} : { seed: seed + offset }) });
      this.tokens = this.addWeight('tokens', [vocabularySize, embedDim], 'float32', init(0));
      this.positions = this.addWeight('positions', [sequenceLength, embedDim], 'float32', init(1));
      this.built = true;
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
      return [shape[0] ?? null, this.spec.sequenceLength, this.spec.embedDim];
    }

    override call(inputs: tfTypes.Tensor | tfTypes.Tensor[]): tfTypes.Tensor {
      return tf.tidy(() => tf.gather(this.tokens!.read(), first(inputs).toInt()).add(this.positions!.read()));
    }

    override getConfig(): tfTypes.serialization.ConfigDict {
      const { vocabularySize, sequenceLength, embedDim, seed } = this.spec;
      return { ...super.getConfig(), vocabularySize, sequenceLength, embedDim, ...(seed === undefined ? {} : { seed }) };
    }
  }

  /**
   * One pre-norm encoder block over [embeddings, token ids]: x + MultiHeadSelfAttention(LayerNorm(x)), then
   * x + FeedForward(LayerNorm(x)). Pre-norm trains without learning-rate warm-up, which matters when the search
   * picks the learning rate. Padding keys get a −1e9 score, so no position attends to padding.
   */
  class TransformerEncoderBlock extends tf.layers.Layer {
    static readonly className = 'AutotuneTransformerEncoderBlock';
    private readonly spec: TransformerEncoderBlockArgs;
    private weightsByName: Record<string, tfTypes.LayerVariable> = {};

    constructor(args: TransformerEncoderBlockArgs) {
      super(args);
      this.spec = args;
    }

    override build(inputShape: Shape | Shape[]): void {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
      const d = shape[shape.length - 1] as number;
      const { heads, ffUnits, seed } = this.spec;
      if (d % heads !== 0) throw new Error(`TransformerEncoderBlock: embedding width ${d} is not divisible by ${heads} heads`);
      let offset = 0;
      const glorot = () => tf.initializers.glorotUniform(seed === undefined ? {} : { seed: seed + offset++ });
      const add = (name: string, shape: number[], init: ReturnType<typeof tf.initializers.zeros>, regularize = false) => {
        this.weightsByName[name] = this.addWeight(name, shape, 'float32', init, regularize ? l2(this.spec.l2) : undefined);
      };
      for (const name of ['query', 'key', 'value', 'output']) {
        add(`${name}_kernel`, [d, d], glorot(), true);
        add(`${name}_bias`, [d], tf.initializers.zeros());
      }
      for (const norm of ['norm1', 'norm2']) {
        add(`${norm}_gamma`, [d], tf.initializers.ones());
        add(`${norm}_beta`, [d], tf.initializers.zeros());
      }
      add('ff1_kernel', [d, ffUnits], glorot(), true);
      add('ff1_bias', [ffUnits], tf.initializers.zeros());
      add('ff2_kernel', [ffUnits, d], glorot(), true);
      add('ff2_bias', [d], tf.initializers.zeros());
      this.built = true;
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    }

    override call(inputs: tfTypes.Tensor | tfTypes.Tensor[], kwargs: Kwargs): tfTypes.Tensor {
      return tf.tidy(() => {
        const [x, ids] = inputs as tfTypes.Tensor[];
        const [batch, steps, d] = x!.shape as [number, number, number];
        const { heads } = this.spec;
        const depth = d / heads;
        const w = (name: string) => this.weightsByName[name]!.read();
        const dense = (t: tfTypes.Tensor, name: string) => t.matMul(w(`${name}_kernel`)).add(w(`${name}_bias`));
        const drop = (t: tfTypes.Tensor) => (kwargs.training && this.spec.dropout > 0 ? tf.dropout(t, this.spec.dropout) : t);

        const flat = x!.reshape([batch * steps, d]);
        const normed = this.layerNorm(flat, 'norm1');
        const split = (t: tfTypes.Tensor) => t.reshape([batch, steps, heads, depth]).transpose([0, 2, 1, 3]);
        const q = split(dense(normed, 'query'));
        const k = split(dense(normed, 'key'));
        const v = split(dense(normed, 'value'));
        const paddingBias = tf.sub(1, tokenMask(ids!)).mul(-1e9).reshape([batch, 1, 1, steps]);
        const scores = tf
          .matMul(q, k, false, true)
          .mul(1 / Math.sqrt(depth))
          .add(paddingBias);
        const attention = drop(tf.softmax(scores));
        const context = tf
          .matMul(attention, v)
          .transpose([0, 2, 1, 3])
          .reshape([batch * steps, d]);
        const attended = flat.add(drop(dense(context, 'output')));

        const hidden = tf.relu(dense(this.layerNorm(attended, 'norm2'), 'ff1'));
        const out = attended.add(drop(dense(hidden, 'ff2')));
        return out.reshape([batch, steps, d]);
      });
    }

    private layerNorm(x: tfTypes.Tensor, name: string): tfTypes.Tensor {
      const { mean, variance } = tf.moments(x, -1, true);
      return x
        .sub(mean)
        .mul(tf.rsqrt(variance.add(1e-6)))
        .mul(this.weightsByName[`${name}_gamma`]!.read())
        .add(this.weightsByName[`${name}_beta`]!.read());
    }

    override getConfig(): tfTypes.serialization.ConfigDict {
      const { heads, ffUnits, dropout, seed } = this.spec;
      return { ...super.getConfig(), heads, ffUnits, dropout, l2: this.spec.l2, ...(seed === undefined ? {} : { seed }) };
    }
  }

  /** The mean of [embeddings, token ids] over real tokens only: [batch, steps, d] → [batch, d]. */
  class MaskedAveragePooling extends tf.layers.Layer {
    static readonly className = 'AutotuneMaskedAveragePooling';

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
      return [shape[0] ?? null, shape[shape.length - 1] ?? null];
    }

    override call(inputs: tfTypes.Tensor | tfTypes.Tensor[]): tfTypes.Tensor {
      return tf.tidy(() => {
        const [x, ids] = inputs as tfTypes.Tensor[];
        const mask = tokenMask(ids!);
        const counts = mask.sum(1, true).maximum(1);
        return x!.mul(mask.expandDims(-1)).sum(1).div(counts);
      });
    }
  }

  /**
   * Columns [batch, f] → per column ReLU(W_j·[sin 2πc_j x, cos 2πc_j x] + b_j), flattened to [batch, f·dim]
   * (PLR, Gorishniy et al. 2022): a column's value becomes a learned, non-monotone feature vector, which is what
   * lets an MLP fit the irregular per-column effects trees find. Frequencies c_j start at N(0, scale²).
   */
  class PeriodicEmbedding extends tf.layers.Layer {
    static readonly className = 'AutotunePeriodicEmbedding';
    private readonly spec: PeriodicEmbeddingArgs;
    private frequencies?: tfTypes.LayerVariable;
    private kernel?: tfTypes.LayerVariable;
    private bias?: tfTypes.LayerVariable;

    constructor(args: PeriodicEmbeddingArgs) {
      super(args);
      this.spec = args;
    }

    override build(inputShape: Shape | Shape[]): void {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
      const columns = shape[shape.length - 1] as number;
      const { scale, seed } = this.spec;
      const seeded = (offset: number) => (seed === undefined ? {} : { seed: seed + offset });
      const fanIn = 2 * PERIODIC_FREQUENCIES;
      this.frequencies = this.addWeight(
        'frequencies',
        [columns, PERIODIC_FREQUENCIES],
        'float32',
        tf.initializers.randomNormal({ mean: 0, stddev: scale, ...seeded(0) }),
      );
      const limit = Math.sqrt(6 / (fanIn + PERIODIC_DIM));
      this.kernel = this.addWeight(
        'kernel',
        [columns, fanIn, PERIODIC_DIM],
        'float32',
        tf.initializers.randomUniform({ minval: -limit, maxval: limit, ...seeded(1) }),
      );
      this.bias = this.addWeight('bias', [columns, PERIODIC_DIM], 'float32', tf.initializers.zeros());
      this.built = true;
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
      return [shape[0] ?? null, (shape[shape.length - 1] as number) * PERIODIC_DIM];
    }

    override call(inputs: tfTypes.Tensor | tfTypes.Tensor[]): tfTypes.Tensor {
      return tf.tidy(() => {
        const x = first(inputs) as tfTypes.Tensor2D;
        const [batch, columns] = x.shape;
        const angles = x
          .expandDims(2)
          .mul(this.frequencies!.read().expandDims(0))
          .mul(2 * Math.PI);
        // Column-major for one batched product per column: [columns, batch, 2k] × [columns, 2k, dim].
        const features = tf.concat([angles.sin(), angles.cos()], 2).transpose([1, 0, 2]) as tfTypes.Tensor3D;
        const embedded = tf
          .matMul(features, this.kernel!.read() as tfTypes.Tensor3D)
          .add(this.bias!.read().expandDims(1))
          .relu();
        return embedded.transpose([1, 0, 2]).reshape([batch, columns * PERIODIC_DIM]);
      });
    }

    override getConfig(): tfTypes.serialization.ConfigDict {
      const { scale, seed } = this.spec;
      return { ...super.getConfig(), scale, ...(seed === undefined ? {} : { seed }) };
    }
  }

  tf.serialization.registerClass(PeriodicEmbedding);
  tf.serialization.registerClass(TokenAndPositionEmbedding);
  tf.serialization.registerClass(TransformerEncoderBlock);
  tf.serialization.registerClass(MaskedAveragePooling);
  return { TokenAndPositionEmbedding, TransformerEncoderBlock, MaskedAveragePooling, PeriodicEmbedding };
}
