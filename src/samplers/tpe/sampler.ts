import type { Rng } from '../../core/rng.js';
import type { Direction, FlatParams, ParamValue, TrialRecord } from '../../core/types.js';
import type { CompiledSpace, ParamNode } from '../../space/compile.js';
import { sampleDistribution } from '../../space/distributions.js';
import { activeOnly } from '../../space/params.js';
import { fromInternal, internalRange, toInternal } from '../../space/encode.js';
import { QmcSampler } from '../qmc.js';
import { RandomSampler } from '../random.js';
import type { SampleContext, Sampler } from '../sampler.js';
import { ParzenEstimator, type ParzenDimension } from './parzen.js';
import { splitGoodBad } from './split.js';
import { defaultGamma, defaultWeights, sqrtGamma } from './weights.js';

/** Options of the TPE sampler; the defaults are Optuna's except where the README's benchmarks say otherwise. */
export interface TpeOptions {
  /** Model the parameters of each (sub-)space jointly instead of one by one. */
  readonly multivariate: boolean;
  /** Trials drawn from the quasi-random start-up design before the model takes over. */
  readonly startupTrials: number;
  /** Candidates drawn from the "good" density; the one with the best l(x)/g(x) is suggested. */
  readonly candidates: number;
  readonly priorWeight: number;
  /** Count running trials as the worst so parallel suggestions spread out. */
  readonly constantLiar: boolean;
  /**
   * Start-up design. Random by default: measured on the reference problems (bench/RESULTS.md), a quasi-random
   * start made TPE worse — evenly spaced first points give evenly wide kernels, which explore longer.
   */
  readonly startup: 'random' | 'qmc';
  /** How many trials count as good: Optuna's 10% (`linear`) or hyperopt's ¼·√n (`sqrt`). */
  readonly gamma: 'linear' | 'sqrt';
  /** See ParzenOptions.bandwidthWeightedScore. */
  readonly bandwidthWeightedScore: boolean;
  readonly seed: number;
}

export const TPE_DEFAULTS: TpeOptions = {
  multivariate: false,
  startupTrials: 10,
  candidates: 24,
  priorWeight: 1,
  constantLiar: true,
  startup: 'random',
  bandwidthWeightedScore: true,
  gamma: 'linear',
  seed: 0,
};

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011, as Optuna implements it): models the density of good
 * and bad configurations and suggests the candidate maximising their ratio. Conditional spaces are handled level
 * by level: the parameters of one (sub-)space are modelled from the trials in which that sub-space was active,
 * so an inactive branch never contaminates another's model. Cost per suggestion is linear in history length.
 *
 * @example new TpeSampler(space, { multivariate: true, seed: 1 })
 */
export class TpeSampler implements Sampler {
  readonly name: string;
  readonly options: TpeOptions;
  private readonly startup: QmcSampler;
  private readonly random = new RandomSampler();

  constructor(space: CompiledSpace, options: Partial<TpeOptions> = {}) {
    this.options = { ...TPE_DEFAULTS, ...options };
    this.name = this.options.multivariate ? 'tpe-multivariate' : 'tpe';
    this.startup = new QmcSampler(space, { seed: this.options.seed });
  }

  suggest(ctx: SampleContext): FlatParams {
    const finished = ctx.trials.filter((t) => t.state === 'complete' || t.state === 'pruned');
    if (finished.length < this.options.startupTrials) {
      return this.options.startup === 'qmc' ? this.startup.pointAt(ctx.space, ctx.trialNumber) : this.random.suggest(ctx);
    }
    const params: Record<string, ParamValue> = {};
    this.sampleLevel(ctx.space.nodes, ctx.trials, ctx.directions[0] as Direction, ctx.rng, params);
    return activeOnly(ctx.space, params);
  }

  private sampleLevel(
    nodes: readonly ParamNode[],
    history: readonly TrialRecord[],
    direction: Direction,
    rng: Rng,
    out: Record<string, ParamValue>,
  ): void {
    const modelled = nodes.filter((n) => n.distribution.kind !== 'const');
    // Reserve every key in space order first, so the configuration reads in the order the space was written.
    for (const node of nodes) out[node.path] = node.distribution.kind === 'const' ? node.distribution.value : '';
    const groups = this.options.multivariate ? groupByPresence(modelled, history) : modelled.map((n) => [n]);
    // Siblings are active together unless the activity rule dropped some, so one split of this level's history
    // serves every group that all its trials hold.
    const splitOf = (trials: readonly TrialRecord[]) =>
      splitGoodBad(trials, direction, {
        constantLiar: this.options.constantLiar,
        gamma: this.options.gamma === 'sqrt' ? sqrtGamma : defaultGamma,
      });
    const split = splitOf(history);
    for (const group of groups) {
      if (group.length === 0) continue;
      // A parameter left out of some trials (no learning rate for a ridge) is modelled, good and bad split
      // included, from the trials that read it, as Optuna does for a parameter missing from a trial.
      const active = history.filter((t) => group.every((n) => t.params[n.path] !== undefined));
      Object.assign(out, this.sampleGroup(group, active.length === history.length ? split : splitOf(active), rng));
    }
    for (const node of nodes) {
      const branch = node.branches?.[String(out[node.path])];
      if (!branch) continue;
      const active = history.filter((t) => t.params[node.path] === out[node.path]);
      this.sampleLevel(branch, active, direction, rng, out);
    }
  }

  private sampleGroup(
    group: readonly ParamNode[],
    split: { readonly below: readonly TrialRecord[]; readonly above: readonly TrialRecord[] },
    rng: Rng,
  ): Record<string, ParamValue> {
    const has = (t: TrialRecord) => group.every((n) => t.params[n.path] !== undefined);
    const below = split.below.filter(has);
    const above = split.above.filter(has);
    if (below.length === 0 || above.length === 0) {
      return Object.fromEntries(group.map((n) => [n.path, sampleDistribution(n.distribution, rng)]));
    }
    const dims = group.map(dimensionOf);
    const columns = (trials: readonly TrialRecord[]) =>
      group.map((n) => Float64Array.from(trials, (t) => encodeValue(n, t.params[n.path] as ParamValue)));
    const parzenOptions = {
      multivariate: this.options.multivariate,
      priorWeight: this.options.priorWeight,
      magicClip: true,
      bandwidthWeightedScore: this.options.bandwidthWeightedScore,
    };
    const good = new ParzenEstimator(columns(below), dims, defaultWeights(below.length), parzenOptions);
    const bad = new ParzenEstimator(columns(above), dims, defaultWeights(above.length), parzenOptions);
    let best: number[] | null = null;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const candidate of good.sample(rng, this.options.candidates)) {
      const score = good.logPdf(candidate) - bad.logPdf(candidate);
      if (best === null || score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    return Object.fromEntries(group.map((n, d) => [n.path, decodeValue(n, (best as number[])[d] as number)]));
  }
}

/**
 * Multivariate groups: parameters present in the same trials are modelled jointly. Without an activity rule that
 * is the whole level; with one, the parameters some trials did not read (a ridge's learning rate) form a group of
 * their own, so they neither shrink the history of the others nor take ridge trials into their model.
 */
function groupByPresence(nodes: readonly ParamNode[], history: readonly TrialRecord[]): ParamNode[][] {
  const groups = new Map<string, ParamNode[]>();
  for (const node of nodes) {
    const presence = history.map((t) => (t.params[node.path] === undefined ? '0' : '1')).join('');
    const group = groups.get(presence);
    if (group) group.push(node);
    else groups.set(presence, [node]);
  }
  return [...groups.values()];
}

function dimensionOf(node: ParamNode): ParzenDimension {
  const d = node.distribution;
  if (d.kind === 'categorical') return { kind: 'categorical', size: d.choices.length };
  const range = internalRange(d);
  if (!range) throw new TypeError(`cannot model ${node.path}`);
  return { kind: 'numeric', range };
}

function encodeValue(node: ParamNode, value: ParamValue): number {
  const d = node.distribution;
  return d.kind === 'categorical' ? Math.max(0, d.choices.indexOf(value)) : toInternal(d, value);
}

function decodeValue(node: ParamNode, x: number): ParamValue {
  const d = node.distribution;
  return d.kind === 'categorical' ? (d.choices[x] as ParamValue) : fromInternal(d, x);
}
