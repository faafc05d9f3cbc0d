import { TrialFailedError } from '../core/errors.js';
import type { ParamValue, Params } from '../core/types.js';
import { LOSSES, type LossName } from '../training/losses.js';
import type { Schedule } from '../training/schedule.js';
import type { Augmentation } from '../data/augment.js';

export const OPTIMIZERS = ['sgd', 'adam', 'rmsprop', 'adagrad'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

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
export const MODEL_TYPES = ['mlp', 'cnn', 'rnn', 'transformer', 'ridge'] as const;

/** How to fit a model. */
export interface FitSpec {
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  /** Rows per step; `full` is full-batch gradient descent, 1 is single-sample SGD. */
  readonly batchSize: number | 'full';
  readonly epochs: number;
  readonly schedule: Schedule;
  readonly warmupEpochs: number;
  readonly loss: LossName;
  /** Weigh each training example by its class's balanced weight (classification); validation stays unweighted. */
  readonly classWeights: boolean;
  /** L1 penalty on every kernel (L2 lives on the layers). */
  readonly l1: number;
  /** Rescale the gradients when their global norm exceeds this. */
  readonly clipNorm: number | null;
  /** Clip every gradient component to ±this. */
  readonly clipValue: number | null;
  /** Stop after this many epochs without improving the objective (null: never). */
  readonly patience: number | null;
  /** Random changes to training batches. */
  readonly augment: Augmentation;
}

/**
 * Reads architecture and fitting hyperparameters from a trial's nested params. Architecture parameters may sit
 * at the top level or inside a conditional `model` choice (`{ model: { type: 'mlp', units: 64 } }`); anything not
 * in the space takes a sensible default. A value the trainer cannot use fails the trial with a reason.
 *
 * @example readHyperparameters({ learningRate: 0.01, model: { type: 'mlp', layers: 2 } }, 20)
 */
export function readHyperparameters(params: Params, defaultEpochs: number): { model: ModelSpec; fit: FitSpec; architecture: Params } {
  const nested = params.model;
  const arch: Params = typeof nested === 'object' ? { ...params, ...nested } : params;
  const type = typeof nested === 'object' ? nested.type : typeof nested === 'string' ? nested : 'mlp';
  if (!(MODEL_TYPES as readonly unknown[]).includes(type)) {
    throw new TrialFailedError(`model type "${String(type)}" is not available (available: ${MODEL_TYPES.join(', ')})`);
  }
  // Fitting settings, like architecture ones, may sit inside the model's branch (an SGD linear model and an Adam
  // Transformer in one space), and the optimizer may carry its own parameters ({ type: 'sgd', momentum }).
  const optimizer = arch.optimizer;
  const fitParams: Params = typeof optimizer === 'object' ? { ...arch, ...optimizer, optimizer: optimizer.type as string } : arch;
  const common = {
    activation: oneOf(arch, 'activation', ACTIVATIONS, 'relu'),
    dropout: number(arch, 'dropout', 0, 0, 0.95),
    l2: number(arch, 'l2', 0, 0, 10),
  };
  const model: ModelSpec =
    type === 'cnn'
      ? {
          type,
          blocks: integer(arch, 'blocks', 2, 1),
          filters: integer(arch, 'filters', 16, 1),
          kernelSize: integer(arch, 'kernelSize', 3, 1),
          stride: integer(arch, 'stride', 1, 1),
          residual: boolean(arch, 'residual', false),
          pooling: oneOf(arch, 'pooling', ['max', 'avg', 'none'] as const, 'max'),
          head: oneOf(arch, 'head', ['flatten', 'globalAverage', 'globalMax'] as const, 'flatten'),
          batchNorm: boolean(arch, 'batchNorm', false),
          dense: integer(arch, 'dense', 64, 0),
          ...common,
        }
      : type === 'rnn'
        ? {
            type,
            cell: oneOf(arch, 'cell', ['lstm', 'gru', 'simple'] as const, 'lstm'),
            units: integer(arch, 'units', 32, 1),
            layers: integer(arch, 'layers', 1, 1),
            bidirectional: boolean(arch, 'bidirectional', false),
            embedDim: integer(arch, 'embedDim', 32, 1),
            dropout: common.dropout,
            l2: common.l2,
          }
        : type === 'transformer'
          ? {
              type,
              embedDim: integer(arch, 'embedDim', 32, 1),
              heads: integer(arch, 'heads', 2, 1),
              blocks: integer(arch, 'blocks', 1, 1),
              ffUnits: integer(arch, 'ffUnits', 64, 1),
              dropout: common.dropout,
              l2: common.l2,
            }
        : type === 'ridge'
          ? { type, alpha: number(arch, 'alpha', 1e-3, 0, 1e9) }
          : {
              type: 'mlp',
              layers: integer(arch, 'layers', 2, 0),
              units: integer(arch, 'units', 64, 1),
              batchNorm: boolean(arch, 'batchNorm', false),
              residual: boolean(arch, 'residual', false),
              ...common,
            };
  return {
    model,
    architecture: arch,
    fit: {
      optimizer: oneOf(fitParams, 'optimizer', OPTIMIZERS, 'adam'),
      learningRate: number(fitParams, 'learningRate', 0.001, 1e-12, 10),
      momentum: number(fitParams, 'momentum', 0, 0, 0.9999),
      nesterov: boolean(fitParams, 'nesterov', false),
      batchSize: fitParams.batchSize === 'full' ? 'full' : integer(fitParams, 'batchSize', 32, 1),
      epochs: integer(fitParams, 'epochs', defaultEpochs, 1),
      schedule: readSchedule(fitParams),
      warmupEpochs: integer(fitParams, 'warmupEpochs', 0, 0),
      loss: oneOf(fitParams, 'loss', LOSSES, 'auto'),
      classWeights: boolean(fitParams, 'classWeights', false),
      l1: number(arch, 'l1', 0, 0, 10),
      clipNorm: optionalNumber(fitParams, 'clipNorm'),
      clipValue: optionalNumber(fitParams, 'clipValue'),
      patience: optionalNumber(fitParams, 'patience'),
      augment: readAugmentation(fitParams),
    },
  };
}

function value(params: Params, key: string): ParamValue | Params | undefined {
  return params[key];
}

function number(params: Params, key: string, fallback: number, min: number, max: number): number {
  const v = value(params, key);
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new TrialFailedError(`parameter ${key}=${JSON.stringify(v)} must be a number in [${min}, ${max}]`);
  }
  return v;
}

function integer(params: Params, key: string, fallback: number, min: number): number {
  const v = value(params, key);
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new TrialFailedError(`parameter ${key}=${JSON.stringify(v)} must be an integer ≥ ${min}`);
  }
  return v;
}

// `schedule` is a name ("cosine") or a conditional choice carrying its own parameters ({ type: 'step', every, factor }).
function readSchedule(params: Params): Schedule {
  const raw = params.schedule;
  const fields: Params = typeof raw === 'object' ? raw : {};
  const type = typeof raw === 'object' ? raw.type : (raw ?? 'constant');
  switch (type) {
    case 'constant':
      return { type: 'constant' };
    case 'step':
      return { type: 'step', every: integer(fields, 'every', 10, 1), factor: number(fields, 'factor', 0.5, 1e-6, 1) };
    case 'cosine':
      return { type: 'cosine', minFactor: number(fields, 'minFactor', 0, 0, 1) };
    default:
      throw new TrialFailedError(`parameter schedule=${JSON.stringify(type)} must be one of constant, step, cosine`);
  }
}

// `augment` may be a conditional choice ({ type: 'light', shift: 1, noise: 0.05 }) or plain top-level parameters.
function readAugmentation(params: Params): Augmentation {
  const nested = params.augment;
  const fields: Params = typeof nested === 'object' ? nested : params;
  return {
    shift: integer(fields, 'shift', 0, 0),
    flip: boolean(fields, 'flip', false),
    noise: number(fields, 'noise', 0, 0, 10),
    tokenDropout: number(fields, 'tokenDropout', 0, 0, 0.9),
  };
}

function optionalNumber(params: Params, key: string): number | null {
  return params[key] === undefined ? null : number(params, key, 0, 1e-12, 1e12);
}

function boolean(params: Params, key: string, fallback: boolean): boolean {
  const v = value(params, key);
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new TrialFailedError(`parameter ${key}=${JSON.stringify(v)} must be true or false`);
  return v;
}

function oneOf<T extends string>(params: Params, key: string, allowed: readonly T[], fallback: T): T {
  const v = value(params, key);
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new TrialFailedError(`parameter ${key}=${JSON.stringify(v)} must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}
