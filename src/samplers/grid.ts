import { InputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { FlatParams, ParamValue } from '../core/types.js';
import type { CompiledSpace, ParamNode } from '../space/compile.js';
import { gridValues } from '../space/distributions.js';
import { LIMITS } from '../space/limits.js';
import { activeOnly } from '../space/params.js';
import type { SampleContext, Sampler } from './sampler.js';

/**
 * Every combination of the grid, one per trial, in an order shuffled by the study seed (so that a study cut short
 * still covers the space evenly). Conditional branches expand only their own parameters. Floats and ints without
 * a step get `resolution` evenly spaced points. Returns null once every point has been tried.
 *
 * @example new GridSampler(space, { resolution: 5, seed: 42 })
 */
export class GridSampler implements Sampler {
  readonly name = 'grid';
  readonly distinct = true;
  private readonly points: readonly FlatParams[];

  constructor(space: CompiledSpace, options: { resolution: number; seed: number }) {
    const points = expand(space.nodes, options.resolution);
    this.points = new Rng(options.seed).fork('grid').shuffle(space.isRead ? distinctActive(space, points) : points);
  }

  /** How many configurations the grid holds. */
  get size(): number {
    return this.points.length;
  }

  suggest(ctx: SampleContext): FlatParams | null {
    return this.points[ctx.trialNumber] ?? null;
  }
}

/** Points that differ only in parameters their trial does not read (a ridge's learning rates) are one point. */
function distinctActive(space: CompiledSpace, points: readonly FlatParams[]): FlatParams[] {
  const distinct = new Map<string, FlatParams>();
  for (const point of points) {
    const active = activeOnly(space, point);
    distinct.set(JSON.stringify(active), active);
  }
  return [...distinct.values()];
}

function expand(nodes: readonly ParamNode[], resolution: number): Record<string, ParamValue>[] {
  let combos: Record<string, ParamValue>[] = [{}];
  for (const node of nodes) {
    const next: Record<string, ParamValue>[] = [];
    for (const value of gridValues(node.distribution, resolution)) {
      const branch = node.branches?.[String(value)];
      const tails = branch ? expand(branch, resolution) : [{}];
      for (const head of combos) {
        for (const tail of tails) {
          next.push({ ...head, [node.path]: value, ...tail });
          if (next.length > LIMITS.gridPoints) {
            throw new InputError(`the grid has more than ${LIMITS.gridPoints} points; lower search.gridResolution or add steps`);
          }
        }
      }
    }
    combos = next;
  }
  return combos;
}
