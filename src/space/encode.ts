import type { Distribution, ParamValue } from '../core/types.js';
import { snapToStep } from './distributions.js';

/**
 * A numeric parameter as samplers model it: "internal" coordinates are the value itself, or its natural log for
 * `log` parameters; ints and steps widen the interval by half a step on each side so every value owns an equal
 * bin. Categoricals are not numeric and have no internal range.
 */
export interface InternalRange {
  readonly low: number;
  readonly high: number;
  /** Bin width in internal coordinates for discrete, non-log parameters; 0 for continuous ones. */
  readonly step: number;
  readonly log: boolean;
}

/** The internal range of a float or int distribution; null for categoricals and constants. */
export function internalRange(d: Distribution): InternalRange | null {
  if (d.kind === 'float') {
    if (d.log) return { low: Math.log(d.low), high: Math.log(d.high), step: 0, log: true };
    if (d.step !== undefined)
      return { low: d.low - d.step / 2, high: snapToStep(d.high, d.low, d.high, d.step) + d.step / 2, step: d.step, log: false };
    return { low: d.low, high: d.high, step: 0, log: false };
  }
  if (d.kind === 'int') {
    if (d.log) return { low: Math.log(d.low - 0.5), high: Math.log(d.high + 0.5), step: 0, log: true };
    const top = d.low + Math.floor((d.high - d.low) / d.step) * d.step;
    return { low: d.low - d.step / 2, high: top + d.step / 2, step: d.step, log: false };
  }
  return null;
}

/** A parameter value in internal coordinates (the centre of its bin for discrete parameters). */
export function toInternal(d: Distribution, value: ParamValue): number {
  const v = value as number;
  return (d.kind === 'float' || d.kind === 'int') && d.log ? Math.log(v) : v;
}

/** Internal coordinates back to a valid value: exponentiated, rounded, snapped to the step, clamped. */
export function fromInternal(d: Distribution, x: number): ParamValue {
  if (d.kind === 'float') {
    const v = d.log ? Math.exp(x) : x;
    return d.step === undefined ? Math.min(d.high, Math.max(d.low, v)) : snapToStep(v, d.low, d.high, d.step);
  }
  if (d.kind === 'int') {
    const v = d.log ? Math.exp(x) : x;
    return Math.round(snapToStep(Math.min(d.high, Math.max(d.low, v)), d.low, d.high, d.step));
  }
  throw new TypeError(`${d.kind} parameters have no internal coordinates`);
}

/**
 * A value as a point of [0, 1]: numeric parameters by their internal range, categoricals by the centre of
 * their choice's slot, constants at 0.5.
 *
 * @example toUnit({ kind: 'float', low: 1e-4, high: 1e-2, log: true }, 1e-3) // 0.5
 */
export function toUnit(d: Distribution, value: ParamValue): number {
  if (d.kind === 'categorical') {
    const index = d.choices.indexOf(value);
    return (Math.max(0, index) + 0.5) / d.choices.length;
  }
  if (d.kind === 'const') return 0.5;
  const range = internalRange(d) as InternalRange;
  return (toInternal(d, value) - range.low) / (range.high - range.low || 1);
}

/** A point of [0, 1] as a valid value of the distribution (the inverse of {@link toUnit}). */
export function fromUnit(d: Distribution, u: number): ParamValue {
  const t = Math.min(1, Math.max(0, u));
  if (d.kind === 'categorical') return d.choices[Math.min(d.choices.length - 1, Math.floor(t * d.choices.length))] as ParamValue;
  if (d.kind === 'const') return d.value;
  const range = internalRange(d) as InternalRange;
  return fromInternal(d, range.low + t * (range.high - range.low));
}
