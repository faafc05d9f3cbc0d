import { TrialFailedError } from '../core/errors.js';
import type { ParamValue, Params } from '../core/types.js';
import type { Augmentation } from '../data/augment.js';
import { ACTIVATIONS, type ModelSpec } from '../models/model-specs.js';
import { LOSSES, type LossName } from './losses.js';
import type { Schedule } from './schedule.js';
import {
  AUGMENT_PARAMS,
  DEFAULT_FAMILY,
  DEFAULT_MLP_LAYERS,
  DEFAULT_OPTIMIZER,
  FAMILY_NAMES,
  FIT_PARAMS,
  isModelFamily,
  KERNEL_L1,
  MODEL_FAMILIES,
  OPTIMIZERS,
  SCHEDULE_PARAMS,
  type ModelFamily,
  type OptimizerName,
} from '../space/trainer-names.js';

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
  /** Classification: train against (1 − ε)·one-hot + ε/k (Szegedy et al. 2016); validation is scored unsmoothed. */
  readonly labelSmoothing: number;
  /**
   * Decoupled weight decay (AdamW, Loshchilov & Hutter 2019): after each step every kernel shrinks by
   * learning rate × this, independently of the gradient, so it follows the schedule and is not rescaled by Adam.
   */
  readonly weightDecay: number;
}

/**
 * Reads architecture and fitting hyperparameters from a trial's nested params. Architecture parameters may sit
 * at the top level or inside a conditional `model` choice (`{ model: { type: 'mlp', units: 64 } }`); anything not
 * in the space takes a sensible default. A value the trainer cannot use fails the trial with a reason. Every name
 * is read through a reader typed by its declaration (src/space/trainer-names.ts), so the study-file check and the
 * activity rule know exactly what is read here.
 *
 * @example readHyperparameters({ learningRate: 0.01, model: { type: 'mlp', layers: 2 } }, 20)
 */
export function readHyperparameters(params: Params, defaultEpochs: number): { model: ModelSpec; fit: FitSpec; architecture: Params } {
  const nested = params.model;
  const arch: Params = typeof nested === 'object' ? { ...params, ...nested } : params;
  const type = typeof nested === 'object' ? nested.type : typeof nested === 'string' ? nested : DEFAULT_FAMILY;
  if (!isModelFamily(type))
    throw new TrialFailedError(`model type "${String(type)}" is not available (available: ${FAMILY_NAMES.join(', ')})`);
  // Fitting settings, like architecture ones, may sit inside the model's branch (an SGD linear model and an Adam
  // Transformer in one space), and the optimizer may carry its own parameters ({ type: 'sgd', momentum }).
  const optimizer = arch.optimizer;
  const fitParams: Params = typeof optimizer === 'object' ? { ...arch, ...optimizer, optimizer: optimizer.type as string } : arch;
  const fit = reader(fitParams, FIT_PARAMS);
  return {
    model: readModel(arch, type),
    architecture: arch,
    fit: {
      optimizer: fit.oneOf('optimizer', OPTIMIZERS, DEFAULT_OPTIMIZER),
      learningRate: fit.number('learningRate', 0.001, 1e-12, 10),
      momentum: fit.number('momentum', 0, 0, 0.9999),
      nesterov: fit.boolean('nesterov', false),
      batchSize: fitParams.batchSize === 'full' ? 'full' : fit.integer('batchSize', 32, 1),
      epochs: fit.integer('epochs', defaultEpochs, 1),
      schedule: readSchedule(fitParams),
      warmupEpochs: fit.integer('warmupEpochs', 0, 0),
      loss: fit.oneOf('loss', LOSSES, 'auto'),
      classWeights: fit.boolean('classWeights', false),
      l1: reader(arch, [KERNEL_L1]).number(KERNEL_L1, 0, 0, 10),
      clipNorm: fit.optionalNumber('clipNorm'),
      clipValue: fit.optionalNumber('clipValue'),
      patience: fit.optionalNumber('patience'),
      augment: readAugmentation(fitParams),
      labelSmoothing: fit.number('labelSmoothing', 0, 0, 0.5),
      weightDecay: fit.number('weightDecay', 0, 0, 1),
    },
  };
}

function readModel(arch: Params, type: ModelFamily): ModelSpec {
  switch (type) {
    case 'cnn': {
      const r = reader(arch, MODEL_FAMILIES.cnn.architecture);
      return {
        type,
        blocks: r.integer('blocks', 2, 1),
        filters: r.integer('filters', 16, 1),
        kernelSize: r.integer('kernelSize', 3, 1),
        stride: r.integer('stride', 1, 1),
        residual: r.boolean('residual', false),
        pooling: r.oneOf('pooling', ['max', 'avg', 'none'] as const, 'max'),
        head: r.oneOf('head', ['flatten', 'globalAverage', 'globalMax'] as const, 'flatten'),
        batchNorm: r.boolean('batchNorm', false),
        dense: r.integer('dense', 64, 0),
        activation: r.oneOf('activation', ACTIVATIONS, 'relu'),
        dropout: r.number('dropout', 0, 0, 0.95),
        l2: r.number('l2', 0, 0, 10),
      };
    }
    case 'rnn': {
      const r = reader(arch, MODEL_FAMILIES.rnn.architecture);
      return {
        type,
        cell: r.oneOf('cell', ['lstm', 'gru', 'simple'] as const, 'lstm'),
        units: r.integer('units', 32, 1),
        layers: r.integer('layers', 1, 1),
        bidirectional: r.boolean('bidirectional', false),
        embedDim: r.integer('embedDim', 32, 1),
        dropout: r.number('dropout', 0, 0, 0.95),
        l2: r.number('l2', 0, 0, 10),
      };
    }
    case 'transformer': {
      const r = reader(arch, MODEL_FAMILIES.transformer.architecture);
      return {
        type,
        embedDim: r.integer('embedDim', 32, 1),
        heads: r.integer('heads', 2, 1),
        blocks: r.integer('blocks', 1, 1),
        ffUnits: r.integer('ffUnits', 64, 1),
        dropout: r.number('dropout', 0, 0, 0.95),
        l2: r.number('l2', 0, 0, 10),
      };
    }
    case 'ridge':
      return {
        type,
        alpha: arch.alpha === 'auto' ? 'auto' : reader(arch, MODEL_FAMILIES.ridge.architecture).number('alpha', 1e-3, 0, 1e9),
      };
    case 'logistic':
      return { type, alpha: reader(arch, MODEL_FAMILIES.logistic.architecture).number('alpha', 1, 1e-9, 1e9) };
    case 'majority':
    case 'mean':
      return { type };
    case 'seasonalNaive':
      return {
        type,
        period: arch.period === undefined ? null : reader(arch, MODEL_FAMILIES.seasonalNaive.architecture).integer('period', 1, 1),
      };
    case 'linear':
    case 'mlp': {
      // A linear model is an MLP without hidden layers; the parameters of hidden layers then take their defaults.
      const r = reader(type === 'mlp' ? arch : {}, MODEL_FAMILIES.mlp.architecture);
      return {
        type: 'mlp',
        layers: r.integer('layers', type === 'mlp' ? DEFAULT_MLP_LAYERS : 0, 0),
        units: r.integer('units', 64, 1),
        batchNorm: r.boolean('batchNorm', false),
        residual: r.boolean('residual', false),
        activation: r.oneOf('activation', ACTIVATIONS, 'relu'),
        dropout: r.number('dropout', 0, 0, 0.95),
        l2: r.number('l2', 0, 0, 10),
        numericEmbedding: r.oneOf('numericEmbedding', ['none', 'periodic'] as const, 'none'),
        embeddingScale: r.number('embeddingScale', 0.1, 1e-4, 100),
      };
    }
  }
}

/** Typed access to the parameters named in `names`: reading an undeclared name does not compile. */
function reader<K extends string>(params: Params, _names: readonly K[]) {
  return {
    number: (key: K, fallback: number, min: number, max: number) => number(params, key, fallback, min, max),
    integer: (key: K, fallback: number, min: number) => integer(params, key, fallback, min),
    boolean: (key: K, fallback: boolean) => boolean(params, key, fallback),
    oneOf: <T extends string>(key: K, allowed: readonly T[], fallback: T) => oneOf(params, key, allowed, fallback),
    optionalNumber: (key: K) => optionalNumber(params, key),
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
    case 'step': {
      const r = reader(fields, SCHEDULE_PARAMS.step);
      return { type: 'step', every: r.integer('every', 10, 1), factor: r.number('factor', 0.5, 1e-6, 1) };
    }
    case 'cosine':
      return { type: 'cosine', minFactor: reader(fields, SCHEDULE_PARAMS.cosine).number('minFactor', 0, 0, 1) };
    default:
      throw new TrialFailedError(`parameter schedule=${JSON.stringify(type)} must be one of constant, step, cosine`);
  }
}

// `augment` may be a conditional choice ({ type: 'light', shift: 1, noise: 0.05 }) or plain top-level parameters.
function readAugmentation(params: Params): Augmentation {
  const nested = params.augment;
  const r = reader(typeof nested === 'object' ? nested : params, AUGMENT_PARAMS);
  return {
    shift: r.integer('shift', 0, 0),
    flip: r.boolean('flip', false),
    noise: r.number('noise', 0, 0, 10),
    tokenDropout: r.number('tokenDropout', 0, 0, 0.9),
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
