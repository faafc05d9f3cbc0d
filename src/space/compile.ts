import type { Distribution, FlatParams, ParamValue } from '../core/types.js';
import type { ParamSpec, SpaceSpec } from './space-schema.js';

/** One parameter of a compiled space. */
export interface ParamNode {
  /** Key in flat params: `lr`, `model`, `model.cnn.filters`. */
  readonly path: string;
  /** The parameter's own name (last segment of its path). */
  readonly name: string;
  /** Where it sits in the study file, for error messages: `['space', 'model', 'choice', 'cnn', 'filters']`. */
  readonly specPath: readonly (string | number)[];
  /** Nesting depth: 0 for top-level parameters. */
  readonly depth: number;
  readonly distribution: Distribution;
  /** For a conditional choice: each branch's sub-space. */
  readonly branches?: Readonly<Record<string, readonly ParamNode[]>>;
}

/**
 * Whether the trial whose sampled values are `params` reads `node` (branches aside, which decide by themselves):
 * a closed-form ridge reads no learning rate, an MLP without hidden layers no units.
 */
export type ActivityRule = (node: ParamNode, params: FlatParams) => boolean;

/** A search space ready for samplers: the top-level parameters, each possibly holding branches. */
export interface CompiledSpace {
  readonly nodes: readonly ParamNode[];
  /**
   * Parameters this rule rejects for a trial are inactive for it, like those of an unchosen branch: every sampler
   * leaves them out ({@link activeOnly}), so they are not stored and not modelled for that trial.
   */
  readonly isRead?: ActivityRule;
}

/**
 * Turns a validated space spec into parameter nodes with distributions.
 *
 * @example compileSpace({ lr: { float: [1e-4, 1e-1], log: true } }).nodes[0].distribution.kind === 'float'
 */
export function compileSpace(spec: SpaceSpec, isRead?: ActivityRule): CompiledSpace {
  const nodes = compileLevel(spec, '', ['space'], 0);
  return isRead ? { nodes, isRead } : { nodes };
}

function compileLevel(spec: SpaceSpec, prefix: string, specPrefix: readonly (string | number)[], depth: number): ParamNode[] {
  return Object.entries(spec).map(([name, param]) => compileParam(name, param, prefix + name, [...specPrefix, name], depth));
}

function compileParam(name: string, spec: ParamSpec, path: string, specPath: (string | number)[], depth: number): ParamNode {
  const base = { path, name, specPath, depth };
  if (typeof spec !== 'object') return { ...base, distribution: { kind: 'const', value: spec } };
  if ('const' in spec) return { ...base, distribution: { kind: 'const', value: spec.const } };
  if ('float' in spec) {
    const [low, high] = spec.float;
    const distribution: Distribution =
      spec.step === undefined
        ? { kind: 'float', low, high, log: spec.log ?? false }
        : { kind: 'float', low, high, log: spec.log ?? false, step: spec.step };
    return { ...base, distribution };
  }
  if ('int' in spec) {
    const [low, high] = spec.int;
    return { ...base, distribution: { kind: 'int', low, high, log: spec.log ?? false, step: spec.step ?? 1 } };
  }
  if (Array.isArray(spec.choice)) {
    return { ...base, distribution: { kind: 'categorical', choices: spec.choice as readonly ParamValue[] } };
  }
  const branchSpecs = spec.choice as Record<string, SpaceSpec>;
  const branches: Record<string, readonly ParamNode[]> = {};
  for (const [branch, subSpace] of Object.entries(branchSpecs)) {
    branches[branch] = compileLevel(subSpace, `${path}.${branch}.`, [...specPath, 'choice', branch], depth + 1);
  }
  return { ...base, distribution: { kind: 'categorical', choices: Object.keys(branchSpecs) }, branches };
}

/** Every node of the space, in every branch, depth first. */
export function allNodes(space: CompiledSpace): ParamNode[] {
  const out: ParamNode[] = [];
  const visit = (nodes: readonly ParamNode[]): void => {
    for (const node of nodes) {
      out.push(node);
      if (node.branches) for (const sub of Object.values(node.branches)) visit(sub);
    }
  };
  visit(space.nodes);
  return out;
}
