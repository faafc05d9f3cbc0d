import { isRankedTrial, lossSign } from '../../core/rank.js';
import type { Rng } from '../../core/rng.js';
import type { Direction, FlatParams, TrialRecord } from '../../core/types.js';
import type { CompiledSpace } from '../../space/compile.js';
import { ScrambledHalton } from '../qmc/halton.js';
import { QmcSampler } from '../qmc.js';
import type { SampleContext, Sampler } from '../sampler.js';
import { logExpectedImprovement } from './acquisition.js';
import { CubeEncoding } from './encoding.js';
import type { KernelParams } from './kernel.js';
import { lbfgs } from '../../maths/lbfgs.js';
import { defaultParams, negativeLogLikelihood, packParams, unpackParams } from './likelihood.js';
import { GpPosterior } from './model.js';

/** Options of the Gaussian-process sampler. */
export interface GpOptions {
  readonly startupTrials: number;
  /** The GP conditions on at most this many complete trials: the best half and the most recent rest. */
  readonly maxObservations: number;
  /** Hyperparameters are refitted at every trial up to 50 complete trials, then every `refitEvery` trials. */
  readonly refitEvery: number;
  /** Quasi-random candidates per suggestion, before local search around the best of them. */
  readonly candidates: number;
  readonly seed: number;
}

export const GP_DEFAULTS: GpOptions = { startupTrials: 10, maxObservations: 200, refitEvery: 5, candidates: 512, seed: 0 };

const FIT_OBSERVATIONS = 80;
const LOCAL_STARTS = 5;
const LOCAL_STEPS = 30;

/**
 * Bayesian optimisation with a Gaussian process: Matérn-5/2 kernel with a length scale per dimension on the
 * unit cube, hyperparameters and noise fitted by maximising the marginal likelihood (L-BFGS, warm-started,
 * with a restart from the prior), and log expected improvement maximised over quasi-random candidates followed
 * by a local search that snaps every point onto a real configuration (integers, steps, one-hot categoricals).
 * Running trials are fantasised at the posterior mean ("kriging believer"), so parallel suggestions spread out.
 * Conditional parameters are imputed (see CubeEncoding). Only complete trials are modelled.
 *
 * Staying fast on long studies: the GP conditions on at most `maxObservations` trials, hyperparameters are
 * fitted on at most 80 of them, and refitted only every `refitEvery` trials after the first 50.
 *
 * @example new GpSampler(space, { seed: 1 })
 */
export class GpSampler implements Sampler {
  readonly name = 'gp';
  readonly options: GpOptions;
  private readonly encoding: CubeEncoding;
  private readonly startup: QmcSampler;
  private readonly halton: ScrambledHalton;
  private cache: { key: number; params: KernelParams } | null = null;

  constructor(
    private readonly space: CompiledSpace,
    options: Partial<GpOptions> = {},
  ) {
    this.options = { ...GP_DEFAULTS, ...options };
    this.encoding = new CubeEncoding(space);
    this.startup = new QmcSampler(space, { seed: this.options.seed });
    this.halton = new ScrambledHalton(Math.max(1, this.encoding.dims), this.options.seed + 1);
  }

  suggest(ctx: SampleContext): FlatParams {
    const complete = ctx.trials.filter(isRankedTrial);
    if (complete.length < this.options.startupTrials || this.encoding.dims === 0) {
      return this.startup.pointAt(ctx.space, ctx.trialNumber);
    }
    const sign = lossSign(ctx.directions[0] as Direction);
    const dims = this.encoding.dims;
    const params = this.hyperparameters(complete, sign, dims);
    const observed = selectObservations(complete, sign, this.options.maxObservations);
    const { x, y } = this.design(observed, sign);
    let posterior = GpPosterior.fit(x, y, observed.length, dims, params);
    const bestY = Math.min(...y);

    const pending = ctx.trials.filter((t) => t.state === 'running');
    if (pending.length > 0) {
      const px = new Float64Array((observed.length + pending.length) * dims);
      px.set(x);
      const py = new Float64Array(observed.length + pending.length);
      py.set(y);
      pending.forEach((t, i) => {
        const point = this.encoding.encode(t.params, px, (observed.length + i) * dims);
        py[observed.length + i] = posterior.predict(point.subarray((observed.length + i) * dims, (observed.length + i + 1) * dims)).mean;
      });
      posterior = GpPosterior.fit(px, py, observed.length + pending.length, dims, params);
    }

    const score = (point: Float64Array) => {
      const { mean, sd } = posterior.predict(point);
      return logExpectedImprovement(mean, sd, bestY);
    };
    const rng = ctx.rng.fork('gp-acquisition');
    const best = this.maximise(score, observed, y, rng, ctx.trialNumber);
    return this.encoding.decode(best);
  }

  private design(trials: readonly TrialRecord[], sign: number): { x: Float64Array; y: Float64Array } {
    const dims = this.encoding.dims;
    const x = new Float64Array(trials.length * dims);
    trials.forEach((t, i) => this.encoding.encode(t.params, x, i * dims));
    const raw = trials.map((t) => sign * (t.values?.[0] as number));
    const mean = raw.reduce((s, v) => s + v, 0) / raw.length;
    const sd = Math.sqrt(raw.reduce((s, v) => s + (v - mean) ** 2, 0) / raw.length) || 1;
    return { x, y: Float64Array.from(raw, (v) => (v - mean) / sd) };
  }

  /**
   * Kernel hyperparameters for a history of `complete` trials. Each fit starts from the prior's centre and from
   * the fit at the previous refit point, a chain that depends on the history alone: a resumed study (no cache)
   * replays the chain once and so fits what an uninterrupted one did, while a running one extends it by one fit.
   */
  private hyperparameters(complete: readonly TrialRecord[], sign: number, dims: number): KernelParams {
    const target = this.refitPoint(complete.length);
    if (this.cache?.key === target) return this.cache.params;
    const ordered = [...complete].sort((a, b) => a.number - b.number);
    const resume = this.cache !== null && this.cache.key < target;
    let previous = resume ? (this.cache as { params: KernelParams }).params : null;
    let key = resume ? this.nextRefitPoint((this.cache as { key: number }).key) : this.refitPoint(this.options.startupTrials);
    for (; key <= target; key = this.nextRefitPoint(key)) {
      const fitSet = selectObservations(ordered.slice(0, key), sign, FIT_OBSERVATIONS);
      const { x, y } = this.design(fitSet, sign);
      const objective = (v: Float64Array) => negativeLogLikelihood(x, y, fitSet.length, dims, v);
      let best: { x: Float64Array; value: number } | null = null;
      for (const start of previous ? [defaultParams(dims), previous] : [defaultParams(dims)]) {
        const result = lbfgs(objective, packParams(start), { maxIterations: 40 });
        if (!best || result.value < best.value) best = result;
      }
      previous = unpackParams((best as { x: Float64Array }).x, dims);
    }
    this.cache = { key: target, params: previous as KernelParams };
    return previous as KernelParams;
  }

  /** Refits happen at every count of complete trials up to 50, then every `refitEvery` trials. */
  private refitPoint(completeTrials: number): number {
    const n = Math.max(1, completeTrials);
    return n <= 50 ? n : 50 + Math.floor((n - 50) / this.options.refitEvery) * this.options.refitEvery;
  }

  private nextRefitPoint(key: number): number {
    return key < 50 ? key + 1 : key + this.options.refitEvery;
  }

  private maximise(
    score: (p: Float64Array) => number,
    observed: readonly TrialRecord[],
    y: Float64Array,
    rng: Rng,
    trialNumber: number,
  ): Float64Array {
    const dims = this.encoding.dims;
    const pool: { point: Float64Array; value: number }[] = [];
    const consider = (raw: ArrayLike<number>) => {
      const point = this.encoding.project(raw);
      pool.push({ point, value: score(point) });
    };
    for (let i = 0; i < this.options.candidates; i++) consider(this.halton.point(trialNumber * this.options.candidates + i));
    // Exploit: perturb the best observed configurations.
    const order = [...y.keys()].sort((a, b) => (y[a] as number) - (y[b] as number)).slice(0, LOCAL_STARTS);
    for (const index of order) {
      const centre = this.encoding.encode((observed[index] as TrialRecord).params);
      for (let k = 0; k < 16; k++) consider(centre.map((v) => v + 0.05 * rng.normal()));
    }
    pool.sort((a, b) => b.value - a.value);
    let best = pool[0] as { point: Float64Array; value: number };
    for (const start of pool.slice(0, LOCAL_STARTS)) {
      let current = start;
      let step = 0.1;
      for (let s = 0; s < LOCAL_STEPS && step > 1e-3; s++) {
        const moved = current.point.map((v) => (rng.float() < 0.5 || dims === 1 ? v + step * rng.normal() : v));
        const point = this.encoding.project(moved);
        const value = score(point);
        if (value > current.value) current = { point, value };
        else step *= 0.7;
      }
      if (current.value > best.value) best = current;
    }
    return best.point;
  }
}

/** At most `limit` trials: the best half by value, then the most recent ones. */
function selectObservations(trials: readonly TrialRecord[], sign: number, limit: number): TrialRecord[] {
  if (trials.length <= limit) return [...trials];
  const byValue = [...trials].sort((a, b) => sign * ((a.values?.[0] as number) - (b.values?.[0] as number)));
  const chosen = new Set(byValue.slice(0, Math.floor(limit / 2)));
  for (const t of [...trials].sort((a, b) => b.number - a.number)) {
    if (chosen.size >= limit) break;
    chosen.add(t);
  }
  return [...chosen];
}
