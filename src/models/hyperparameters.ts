import { TrialFailedError } from '../core/errors.js';
import type { ParamValue, Params } from '../core/types.js';

export const OPTIMIZERS = ['sgd', 'adam', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const ACTIVATIONS = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'swish', 'gelu', 'softplus', 'linear'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** The architecture of a multilayer perceptron. */
export interface MlpSpec {
  readonly type: 'mlp';
  readonly layers: number;
  readonly units: number;
  readonly activation: ActivationName;
  readonly dropout: number;
  readonly l2: number;
}

/** How to fit a model. */
export interface FitSpec {
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly momentum: number;
  readonly batchSize: number;
  readonly epochs: number;
}

/**
 * Reads architecture and fitting hyperparameters from a trial's nested params. Architecture parameters may sit
 * at the top level or inside a conditional `model` choice (`{ model: { type: 'mlp', units: 64 } }`); anything not
 * in the space takes a sensible default. A value the trainer cannot use fails the trial with a reason.
 *
 * @example readHyperparameters({ learningRate: 0.01, model: { type: 'mlp', layers: 2 } }, 20)
 */
export function readHyperparameters(params: Params, defaultEpochs: number): { model: MlpSpec; fit: FitSpec } {
  const nested = params.model;
  const arch: Params = typeof nested === 'object' ? { ...params, ...nested } : params;
  const type = typeof nested === 'object' ? nested.type : typeof nested === 'string' ? nested : 'mlp';
  if (type !== 'mlp') {
    throw new TrialFailedError(`model type "${String(type)}" is not available yet (available: mlp)`);
  }
  // The optimizer may be a plain choice or a conditional one carrying its own parameters ({ type: 'sgd', momentum }).
  const optimizer = params.optimizer;
  const fitParams: Params = typeof optimizer === 'object' ? { ...params, ...optimizer, optimizer: optimizer.type as string } : params;
  return {
    model: {
      type: 'mlp',
      layers: integer(arch, 'layers', 2, 0),
      units: integer(arch, 'units', 64, 1),
      activation: oneOf(arch, 'activation', ACTIVATIONS, 'relu'),
      dropout: number(arch, 'dropout', 0, 0, 0.95),
      l2: number(arch, 'l2', 0, 0, 10),
    },
    fit: {
      optimizer: oneOf(fitParams, 'optimizer', OPTIMIZERS, 'adam'),
      learningRate: number(fitParams, 'learningRate', 0.001, 1e-12, 10),
      momentum: number(fitParams, 'momentum', 0, 0, 0.9999),
      batchSize: integer(fitParams, 'batchSize', 32, 1),
      epochs: integer(fitParams, 'epochs', defaultEpochs, 1),
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

function oneOf<T extends string>(params: Params, key: string, allowed: readonly T[], fallback: T): T {
  const v = value(params, key);
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new TrialFailedError(`parameter ${key}=${JSON.stringify(v)} must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}
