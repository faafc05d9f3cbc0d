import type { ParamValue } from '../core/types.js';
import { allNodes, compileSpace } from './compile.js';
import type { SpaceSpec } from './space-schema.js';

/**
 * The largest number a data setting searched as a trial parameter (`lookback`, anywhere in the space) can take, with
 * the JSON path of the parameter that reaches it; undefined when the space does not search it.
 *
 * @example largestSearched({ lookback: { int: [6, 48] } }, 'lookback') // { value: 48, path: 'space.lookback' }
 */
export function largestSearched(space: SpaceSpec, name: string): { value: number; path: string } | undefined {
  let largest: { value: number; path: string } | undefined;
  for (const node of allNodes(compileSpace(space))) {
    if (node.name !== name) continue;
    const d = node.distribution;
    const values: readonly ParamValue[] =
      d.kind === 'const'
        ? [d.value]
        : d.kind === 'categorical'
          ? d.choices
          : [d.step ? d.low + Math.floor((d.high - d.low) / d.step + 1e-9) * d.step : d.high];
    for (const value of values) {
      if (typeof value === 'number' && (!largest || value > largest.value)) largest = { value, path: node.specPath.join('.') };
    }
  }
  return largest;
}
