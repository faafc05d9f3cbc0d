import type { Rng } from '../../core/rng.js';
import { logSumExp } from '../../maths/normal.js';
import { logNormMass, truncNormLogBinMass, truncNormSample } from '../../maths/truncnorm.js';
import type { InternalRange } from '../../space/encode.js';

/** One dimension of a Parzen estimator's input: a numeric range or a categorical with `size` choices. */
export type ParzenDimension =
  | { readonly kind: 'numeric'; readonly range: InternalRange }
  | { readonly kind: 'categorical'; readonly size: number };

export interface ParzenOptions {
  /** Bandwidth rule: Optuna's neighbour distances (univariate) or a shared Scott-like bandwidth (multivariate). */
  readonly multivariate: boolean;
  readonly priorWeight: number;
  /** Lower bound on bandwidths, (high − low) / min(100, 1 + n), as Optuna's "magic clip". */
  readonly magicClip: boolean;
  /**
   * Score with each component's weight multiplied by its bandwidth (in every numeric dimension), as Optuna 3.1
   * effectively did (its truncated-normal log density omitted −log σ). Sampling still uses the plain weights.
   * Favours candidates explained by isolated, wide kernels: more exploration in the ratio l(x)/g(x).
   */
  readonly bandwidthWeightedScore?: boolean;
}

interface NumericKernels {
  readonly kind: 'numeric';
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  readonly logSigmas: Float64Array;
  readonly inverseSigmas: Float64Array;
  /** −log σ − log(mass inside [low, high]) − log √(2π): the per-component constant of the log density. */
  readonly logNorm: Float64Array;
  readonly range: InternalRange;
}

interface CategoricalKernels {
  readonly kind: 'categorical';
  /** Component c's log probability of choice k at [c * size + k]. */
  readonly logProbs: Float64Array;
  readonly size: number;
}

type Kernels = NumericKernels | CategoricalKernels;

const SIGMA0_MAGNITUDE = 0.2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const EPS = 1e-12;

/**
 * A mixture of one kernel per observation plus a broad prior component (the Parzen estimator of TPE, after
 * Bergstra et al. 2011 and Optuna). With several dimensions each component is a product of per-dimension
 * kernels, so the density is joint (multivariate TPE).
 *
 * @example const l = new ParzenEstimator([[0.1], [0.3]], [{ kind: 'numeric', range }], weights, options);
 */
export class ParzenEstimator {
  private readonly logWeights: Float64Array;
  /** log weights used to score (may include bandwidths, see ParzenOptions.bandwidthWeightedScore). */
  private readonly logScoreWeights: Float64Array;
  private readonly cumulativeWeights: Float64Array;
  private readonly kernels: readonly Kernels[];
  readonly components: number;
  /** Scratch space for logPdf, reused across calls (scoring is the hot loop of TPE). */
  private readonly terms: Float64Array;

  /** `columns[d][i]`: observation i in dimension d (internal coordinates, or a choice index). */
  constructor(columns: readonly Float64Array[], dims: readonly ParzenDimension[], weights: Float64Array, options: ParzenOptions) {
    const n = columns[0]?.length ?? 0;
    this.components = n + 1;
    const w = new Float64Array(n + 1);
    w.set(weights.subarray(0, n));
    w[n] = options.priorWeight;
    const total = w.reduce((s, v) => s + v, 0);
    this.logWeights = w.map((v) => Math.log(v / total));
    this.cumulativeWeights = new Float64Array(n + 1);
    let acc = 0;
    for (let i = 0; i <= n; i++) this.cumulativeWeights[i] = acc += (w[i] as number) / total;
    this.kernels = dims.map((dim, d) => {
      const column = columns[d] as Float64Array;
      return dim.kind === 'numeric'
        ? numericKernels(column, dim.range, options, dims.length)
        : categoricalKernels(column, dim.size, options.priorWeight);
    });
    this.terms = new Float64Array(n + 1);
    this.logScoreWeights = Float64Array.from(this.logWeights);
    if (options.bandwidthWeightedScore) {
      for (const k of this.kernels)
        if (k.kind === 'numeric') for (let c = 0; c <= n; c++) this.logScoreWeights[c]! += k.logSigmas[c] as number;
    }
  }

  /** Draws `count` points: a component by weight, then each dimension from that component's kernel. */
  sample(rng: Rng, count: number): number[][] {
    const points: number[][] = [];
    for (let s = 0; s < count; s++) {
      const c = this.pickComponent(rng.float());
      points.push(this.kernels.map((k) => (k.kind === 'numeric' ? sampleNumeric(k, c, rng) : sampleCategorical(k, c, rng))));
    }
    return points;
  }

  /** log density (numeric) or log probability (categorical, discrete) of a point. */
  logPdf(point: readonly number[]): number {
    const terms = this.terms;
    const m = this.components;
    const only = this.kernels.length === 1 ? this.kernels[0] : undefined;
    if (only?.kind === 'numeric' && only.range.step === 0) return this.continuousLogPdf(only, point[0] as number);
    terms.set(this.logScoreWeights);
    for (let d = 0; d < this.kernels.length; d++) {
      const k = this.kernels[d] as Kernels;
      const x = point[d] as number;
      if (k.kind === 'categorical') {
        for (let c = 0; c < m; c++) terms[c]! += k.logProbs[c * k.size + x] as number;
      } else if (k.range.step > 0) {
        const { low, high, step } = k.range;
        for (let c = 0; c < m; c++) terms[c]! += truncNormLogBinMass(x, step / 2, k.mus[c] as number, k.sigmas[c] as number, low, high);
      } else {
        if (x < k.range.low || x > k.range.high) return Number.NEGATIVE_INFINITY;
        const { mus, inverseSigmas, logNorm } = k;
        for (let c = 0; c < m; c++) {
          const z = (x - (mus[c] as number)) * (inverseSigmas[c] as number);
          terms[c]! += (logNorm[c] as number) - 0.5 * z * z;
        }
      }
    }
    return logSumExp(terms);
  }

  /**
   * The common univariate case in one fused pass (terms and their maximum together), then the sum: scoring
   * against the "bad" density, whose components grow with the history, is TPE's hot loop.
   */
  private continuousLogPdf(k: NumericKernels, x: number): number {
    if (x < k.range.low || x > k.range.high) return Number.NEGATIVE_INFINITY;
    const { mus, inverseSigmas, logNorm } = k;
    const weights = this.logScoreWeights;
    const terms = this.terms;
    const m = this.components;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < m; c++) {
      const z = (x - (mus[c] as number)) * (inverseSigmas[c] as number);
      const term = (weights[c] as number) + (logNorm[c] as number) - 0.5 * z * z;
      terms[c] = term;
      if (term > max) max = term;
    }
    let sum = 0;
    for (let c = 0; c < m; c++) {
      const d = (terms[c] as number) - max;
      if (d > -40) sum += Math.exp(d);
    }
    return max + Math.log(sum);
  }

  private pickComponent(u: number): number {
    let lo = 0;
    let hi = this.components - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulativeWeights[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function numericKernels(values: Float64Array, range: InternalRange, options: ParzenOptions, dimensions: number): NumericKernels {
  const { low, high } = range;
  const n = values.length;
  const mus = new Float64Array(n + 1);
  mus.set(values);
  mus[n] = 0.5 * (low + high);
  const sigmas = new Float64Array(n + 1);
  if (options.multivariate) {
    sigmas.fill(SIGMA0_MAGNITUDE * Math.max(n, 1) ** (-1 / (dimensions + 4)) * (high - low));
  } else {
    neighbourBandwidths(mus, low, high, sigmas);
  }
  sigmas[n] = high - low;
  const minSigma = options.magicClip ? (high - low) / Math.min(100, 1 + n + 1) : EPS;
  for (let i = 0; i <= n; i++) sigmas[i] = Math.min(high - low, Math.max(minSigma, sigmas[i] as number));
  const logSigmas = sigmas.map(Math.log);
  const inverseSigmas = sigmas.map((v) => 1 / v);
  const logNorm = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const mass = logNormMass((low - (mus[i] as number)) / (sigmas[i] as number), (high - (mus[i] as number)) / (sigmas[i] as number));
    logNorm[i] = -(logSigmas[i] as number) - mass - LOG_SQRT_2PI;
  }
  return { kind: 'numeric', mus, sigmas, logSigmas, inverseSigmas, logNorm, range };
}

// Optuna's univariate rule: each kernel is as wide as the larger gap to its sorted neighbours (bounds included),
// except that the outermost kernels ignore the bounds, so a point near an edge is not made needlessly narrow.
function neighbourBandwidths(mus: Float64Array, low: number, high: number, out: Float64Array): void {
  const m = mus.length;
  const sorted = new Float64Array(m + 2);
  sorted.set(Float64Array.from(mus).sort(), 1);
  sorted[0] = low;
  sorted[m + 1] = high;
  const gap = (r: number): number => {
    const left = (sorted[r + 1] as number) - (sorted[r] as number);
    const right = (sorted[r + 2] as number) - (sorted[r + 1] as number);
    if (m + 2 >= 4 && r === 0) return right;
    if (m + 2 >= 4 && r === m - 1) return left;
    return Math.max(left, right);
  };
  // Ranks as a stable argsort gives them (ties in index order), by binary search into the natively sorted copy:
  // far faster than sorting indices with a comparator, and this runs for every parameter of every suggestion.
  const taken = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const value = mus[i] as number;
    let lo = 1;
    let hi = m + 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    let rank = lo - 1;
    while (taken[rank] === 1) rank++;
    taken[rank] = 1;
    out[i] = gap(rank);
  }
}

function categoricalKernels(values: Float64Array, size: number, priorWeight: number): CategoricalKernels {
  const n = values.length;
  const logProbs = new Float64Array((n + 1) * size);
  for (let c = 0; c < n; c++) {
    const total = priorWeight + 1;
    for (let k = 0; k < size; k++) logProbs[c * size + k] = Math.log((priorWeight / size + (values[c] === k ? 1 : 0)) / total);
  }
  for (let k = 0; k < size; k++) logProbs[n * size + k] = -Math.log(size);
  return { kind: 'categorical', logProbs, size };
}

function sampleNumeric(k: NumericKernels, c: number, rng: Rng): number {
  const { low, high, step } = k.range;
  const x = truncNormSample(rng, k.mus[c] as number, k.sigmas[c] as number, low, high);
  if (step <= 0) return x;
  // Snap to the centre of the bin: internal ranges of discrete parameters are widened by half a step each side.
  const first = low + step / 2;
  const last = high - step / 2;
  return Math.min(last, Math.max(first, first + Math.round((x - first) / step) * step));
}

function sampleCategorical(k: CategoricalKernels, c: number, rng: Rng): number {
  let u = rng.float();
  for (let i = 0; i < k.size; i++) {
    u -= Math.exp(k.logProbs[c * k.size + i] as number);
    if (u <= 0) return i;
  }
  return k.size - 1;
}
