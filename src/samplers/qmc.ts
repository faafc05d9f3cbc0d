import type { FlatParams } from '../core/types.js';
import { allNodes, type CompiledSpace, type ParamNode } from '../space/compile.js';
import { fromUnit } from '../space/encode.js';
import { walkActive } from '../space/params.js';
import { ScrambledHalton } from './qmc/halton.js';
import type { SampleContext, Sampler } from './sampler.js';

/**
 * Quasi-random search: trial k takes point k of a scrambled Halton sequence over every parameter of the space
 * (each branch's parameters keep their own dimensions), so the first trials cover the space more evenly than
 * independent draws. Also the start-up design of TPE and GP.
 *
 * @example new QmcSampler(space, { seed: 42 })
 */
export class QmcSampler implements Sampler {
  readonly name = 'qmc';
  private readonly sequence: ScrambledHalton;
  private readonly dimension: Map<string, number>;

  constructor(space: CompiledSpace, options: { seed: number }) {
    const nodes = allNodes(space);
    this.dimension = new Map(nodes.map((node, i) => [node.path, i]));
    this.sequence = new ScrambledHalton(Math.max(1, nodes.length), options.seed);
  }

  suggest(ctx: SampleContext): FlatParams {
    return this.pointAt(ctx.space, ctx.trialNumber);
  }

  /** The configuration at index k of the sequence. */
  pointAt(space: CompiledSpace, k: number): FlatParams {
    const u = this.sequence.point(k);
    return walkActive(space, (node: ParamNode) => fromUnit(node.distribution, u[this.dimension.get(node.path) ?? 0] as number));
  }
}
