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
  /** L2 penalty on the weights (not on the intercept); `auto`: the one of least leave-one-out error. */
  readonly alpha: number | 'auto';
}

/** Multinomial logistic regression with an L2 penalty (classification), fitted by L-BFGS. */
export interface LogisticSpec {
  readonly type: 'logistic';
  /** L2 penalty on the weights, 1/C in scikit-learn's terms. */
  readonly alpha: number;
}

/** The training class frequencies, whatever the input (classification's first baseline). */
export interface MajoritySpec {
  readonly type: 'majority';
}

/** The training mean, whatever the input (regression's first baseline). */
export interface MeanSpec {
  readonly type: 'mean';
}

/** A series' value one period back (series input). */
export interface SeasonalNaiveSpec {
  readonly type: 'seasonalNaive';
  /** Null: `data.input.period`, else detected from the training values' autocorrelation. */
  readonly period: number | null;
}

/** The models whose weights are computed rather than trained: each is one dense layer, reported as one epoch. */
export type ClosedFormSpec = RidgeSpec | LogisticSpec | MajoritySpec | MeanSpec | SeasonalNaiveSpec;

export type ModelSpec = MlpSpec | CnnSpec | RnnSpec | TransformerSpec | ClosedFormSpec;

const CLOSED_FORM_TYPES: readonly string[] = ['ridge', 'logistic', 'majority', 'mean', 'seasonalNaive'] satisfies ClosedFormSpec['type'][];

/** Whether a model is fitted in closed form (one step) rather than by gradient epochs. */
export function isClosedForm(spec: ModelSpec): spec is ClosedFormSpec {
  return CLOSED_FORM_TYPES.includes(spec.type);
}
