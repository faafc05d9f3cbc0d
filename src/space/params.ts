import type { FlatParams, ParamValue, Params } from '../core/types.js';
import type { CompiledSpace, ParamNode } from './compile.js';

/**
 * Walks the space the way a sampler must: a node is visited only when its branch is active.
 * `choose(node)` returns the value for that node; for a conditional choice the value picks the branch to descend.
 *
 * @example walkActive(space, (node) => sampleDistribution(node.distribution, rng))
 */
export function walkActive(space: CompiledSpace, choose: (node: ParamNode) => ParamValue): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  const visit = (nodes: readonly ParamNode[]): void => {
    for (const node of nodes) {
      const value = choose(node);
      params[node.path] = value;
      const branch = node.branches?.[String(value)];
      if (branch) visit(branch);
    }
  };
  visit(space.nodes);
  return params;
}

/**
 * Flat params → the nested shape objectives and trainers read. A conditional choice becomes `{ type, ...subParams }`.
 *
 * @example nestParams(space, { model: 'mlp', 'model.mlp.units': 64 }) // { model: { type: 'mlp', units: 64 } }
 */
export function nestParams(space: CompiledSpace, flat: FlatParams): Params {
  const build = (nodes: readonly ParamNode[]): Record<string, ParamValue | Params> => {
    const out: Record<string, ParamValue | Params> = {};
    for (const node of nodes) {
      const value = flat[node.path];
      if (value === undefined) continue;
      const branch = node.branches?.[String(value)];
      out[node.name] = branch ? { type: value, ...build(branch) } : value;
    }
    return out;
  };
  return build(space.nodes);
}
