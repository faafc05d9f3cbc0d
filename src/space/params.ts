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
  return space.isRead ? activeOnly(space, params) : params;
}

/**
 * A configuration without the parameters its trial does not read (the space's activity rule), nor any parameter
 * inside the branches of one it drops; the rule sees every sampled value. Idempotent, and in space order.
 *
 * @example activeOnly(space, { model: 'ridge', 'model.ridge.alpha': 1, learningRate: 0.01 }) // { model: 'ridge', 'model.ridge.alpha': 1 }
 */
export function activeOnly(space: CompiledSpace, params: FlatParams): Record<string, ParamValue> {
  const isRead = space.isRead;
  if (!isRead) return { ...params };
  const kept: Record<string, ParamValue> = {};
  const visit = (nodes: readonly ParamNode[]): void => {
    for (const node of nodes) {
      const value = params[node.path];
      if (value === undefined || !isRead(node, params)) continue;
      kept[node.path] = value;
      const branch = node.branches?.[String(value)];
      if (branch) visit(branch);
    }
  };
  visit(space.nodes);
  return kept;
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
