import type { Distribution, ParamValue } from '../core/types.js';
import { toUnit } from './encode.js';

/**
 * Cells per range of a float without a step when configurations are compared. A ten-thousandth of the range (of
 * its log range for `log` floats, as samplers see it) is below anything training can tell apart, yet fine enough
 * that a sampler homing in on a black-box optimum is never turned away from a point it has not tried.
 */
export const FLOAT_CELLS = 10_000;

/**
 * A parameter value at the resolution configurations are compared: floats without a step by their cell of
 * {@link FLOAT_CELLS} per range, stepped floats by their step, everything else as it is.
 *
 * @example resolvedValue({ kind: 'float', low: 1e-4, high: 1e-1, log: true }, 0.0031) // 4971 (its cell)
 */
export function resolvedValue(distribution: Distribution | undefined, value: ParamValue): ParamValue {
  if (typeof value !== 'number' || distribution?.kind !== 'float') return value;
  if (distribution.step !== undefined) return Math.round((value - distribution.low) / distribution.step);
  return Math.round(toUnit(distribution, value) * FLOAT_CELLS);
}
