import type { FlatParams, ParamValue } from '../core/types.js';
import { snapToStep } from './distributions.js';
import type { CompiledSpace, ParamNode } from './compile.js';

/**
 * Problems with a configuration: a missing or extra parameter (branches and the space's activity rule included),
 * or a value outside its distribution. An empty list means it is a configuration a sampler could have produced.
 *
 * @example checkParams(space, { lr: 2 }) // ['lr: 2 is outside [0.0001, 0.1]']
 */
export function checkParams(space: CompiledSpace, params: FlatParams): string[] {
  const problems: string[] = [];
  const expected = new Set<string>();
  const visit = (nodes: readonly ParamNode[]): void => {
    for (const node of nodes) {
      // A parameter its trial does not read is inactive: expected absent, like an unchosen branch's.
      if (space.isRead && !space.isRead(node, params)) continue;
      expected.add(node.path);
      const value = params[node.path];
      if (value === undefined) {
        problems.push(`${node.path}: missing`);
        continue;
      }
      const problem = checkValue(node, value);
      if (problem) problems.push(`${node.path}: ${problem}`);
      const branch = node.branches?.[String(value)];
      if (branch) visit(branch);
    }
  };
  visit(space.nodes);
  for (const key of Object.keys(params)) if (!expected.has(key)) problems.push(`${key}: not an active parameter`);
  return problems;
}

function checkValue(node: ParamNode, value: ParamValue): string | null {
  const d = node.distribution;
  switch (d.kind) {
    case 'const':
      return value === d.value ? null : `expected the constant ${JSON.stringify(d.value)}`;
    case 'categorical':
      return d.choices.includes(value) ? null : `${JSON.stringify(value)} is not one of ${JSON.stringify(d.choices)}`;
    case 'float':
    case 'int': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${JSON.stringify(value)} is not a number`;
      if (value < d.low || value > d.high) return `${value} is outside [${d.low}, ${d.high}]`;
      if (d.kind === 'int' && !Number.isInteger(value)) return `${value} is not an integer`;
      if (d.step !== undefined && Math.abs(snapToStep(value, d.low, d.high, d.step) - value) > 1e-9 * Math.max(1, Math.abs(value))) {
        return `${value} is not on the step ${d.step} from ${d.low}`;
      }
      return null;
    }
  }
}
