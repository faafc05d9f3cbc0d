import { InvalidArgumentError } from 'commander';
import { InputError } from '../core/errors.js';
import { MAX_HORIZON, type Predictor } from '../export/predictor.js';

/** Parses `--horizon N`: the steps a series forecast takes. */
export function horizonSteps(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_HORIZON)
    throw new InvalidArgumentError(`expected a whole number of steps from 1 to ${MAX_HORIZON}`);
  return value;
}

/** `--horizon` is refused, before anything runs, for an export that does not forecast a series. */
export function checkHorizon(predictor: Predictor, dir: string, horizon: number | undefined): void {
  if (horizon !== undefined && predictor.manifest.input.kind !== 'series') {
    throw new InputError(`--horizon: ${dir} is not a series export; only a series forecasts several steps ahead`);
  }
}
