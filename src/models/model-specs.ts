// What each model builder is given. Reading these from a trial's parameters (with defaults and refusals) is
// training's job (src/training/hyperparameters.ts, with its losses and schedules): a model is built from a spec.

export const ACTIVATIONS = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'swish', 'gelu', 'softplus', 'linear'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** The architecture of a multilayer perceptron. */
export interface MlpSpec {
  readonly type: 'mlp';
  readonly layers: number;
  readonly units: number;
  /** Batch normalization between each hidden layer's dense transform and its activation. */
  readonly batchNorm: boolean;
  /** Skip connections around hidden layers whose input has their width. */
  readonly residual: boolean;
  readonly activation: ActivationName;
  readonly dropout: number;
  readonly l2: number;
  /** Each input column mapped to learned sin/cos features before the first layer (Gorishniy et al. 2022). */
  readonly numericEmbedding: 'none' | 'periodic';
  /** Standard deviation of the initial periodic frequencies, in units of the scaled input. */
  readonly embeddingScale: number;
}

/** A convolutional network for images: blocks of convolution (+ batch norm) and pooling, then a dense head. */
export interface CnnSpec {
  readonly type: 'cnn';
  readonly blocks: number;
  /** Filters of the first block; each later block doubles them. */
  readonly filters: number;
  readonly kernelSize: number;
  /** Convolution stride of each block's first convolution. */
  readonly stride: number;
  /** Two convolutions per block with a skip connection (ResNet-style). */
  readonly residual: boolean;
  readonly pooling: 'max' | 'avg' | 'none';
  /** From feature maps to the dense head: flatten, or global average / max pooling. */
  readonly head: 'flatten' | 'globalAverage' | 'globalMax';
  readonly batchNorm: boolean;
  /** Units of the dense layer before the output (0: none). */
  readonly dense: number;
  readonly activation: ActivationName;
  readonly dropout: number;
  readonly l2: number;
}

/** A recurrent network over a sequence of feature vectors (an image's rows, a time series' windows). */
export interface RnnSpec {
  readonly type: 'rnn';
  readonly cell: 'lstm' | 'gru' | 'simple';
  readonly units: number;
  readonly layers: number;
  readonly bidirectional: boolean;
  /** Width of the word embedding in front of the cells (token input only). */
  readonly embedDim: number;
  readonly dropout: number;
  readonly l2: number;
}

/** A Transformer encoder over token ids (text input as tokens). */
export interface TransformerSpec {
  readonly type: 'transformer';
  /** Width of token and position embeddings, and of every block. */
  readonly embedDim: number;
  readonly heads: number;
  readonly blocks: number;
  /** Hidden units of each block's feed-forward layer. */
  readonly ffUnits: number;
  readonly dropout: number;
  readonly l2: number;
}

/** A linear model fitted in closed form by ridge regression (regression tasks): no epochs, no optimizer. */
export interface RidgeSpec {
  readonly type: 'ridge';
  /** L2 penalty on the weights (not on the intercept). */
  readonly alpha: number;
}

export type ModelSpec = MlpSpec | CnnSpec | RnnSpec | TransformerSpec | RidgeSpec;
