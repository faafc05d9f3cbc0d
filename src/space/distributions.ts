import type { Distribution, ParamValue } from '../core/types.js';
import type { Rng } from '../core/rng.js';

/**
 * Draws one value uniformly from a distribution (log-uniformly for `log`), snapped to its step.
 *
 * @example sampleDistribution({ kind: 'int', low: 16, high: 512, log: true, step: 1 }, rng) // e.g. 87
 */
export function sampleDistribution(distribution: Distribution, rng: Rng): ParamValue {
  switch (distribution.kind) {
    case 'const':
      return distribution.value;
    case 'categorical':
      return rng.pick(distribution.choices);
    case 'float': {
      const { low, high, log, step } = distribution;
      const raw = log ? Math.exp(Math.log(low) + rng.float() * (Math.log(high) - Math.log(low))) : low + rng.float() * (high - low);
      return step === undefined ? Math.min(high, Math.max(low, raw)) : snapToStep(raw, low, high, step);
    }
    case 'int': {
      const { low, high, log, step } = distribution;
      if (log) {
        const raw = Math.floor(Math.exp(Math.log(low) + rng.float() * (Math.log(high + 1) - Math.log(low))));
        return Math.min(high, Math.max(low, raw));
      }
      return low + step * rng.int(0, Math.floor((high - low) / step));
    }
  }
}

/** Rounds to the nearest low + k·step inside [low, high]; the float fix-up keeps 0.1-style steps printable. */
export function snapToStep(value: number, low: number, high: number, step: number): number {
  const k = Math.round((value - low) / step);
  const maxK = Math.floor((high - low) / step + 1e-9);
  const snapped = low + Math.min(maxK, Math.max(0, k)) * step;
  // An integer needs no fix-up (12 digits would move one above 10^12). Neither the fix-up nor rounding in
  // low + k·step (at denormal scales) may step over a bound.
  return Math.min(high, Math.max(low, Number.isInteger(snapped) ? snapped : Number(snapped.toPrecision(12))));
}

/**
 * Evenly spaced points for a grid (log-spaced for `log`); steps and categorical choices give all their values.
 *
 * @example gridValues({ kind: 'float', low: 0, high: 1, log: false }, 3) // [0, 0.5, 1]
 */
export function gridValues(distribution: Distribution, resolution: number): ParamValue[] {
  switch (distribution.kind) {
    case 'const':
      return [distribution.value];
    case 'categorical':
      return [...distribution.choices];
    case 'int':
    case 'float': {
      const { low, high, log } = distribution;
      const step = distribution.step;
      // Rounded to 12 digits so 0.1-style values print cleanly, but never past a bound and never an int: 12 digits
      // would move an int above 10^12, and rounding can step over a bound as tiny as 4e-182.
      const tidy = (value: number) => (distribution.kind === 'int' ? value : Math.min(high, Math.max(low, Number(value.toPrecision(12)))));
      if (step !== undefined && (high - low) / step + 1 <= resolution) {
        const count = Math.floor((high - low) / step + 1e-9) + 1;
        return Array.from({ length: count }, (_, k) => tidy(low + k * step));
      }
      const points = new Set<number>();
      for (let k = 0; k < resolution; k++) {
        const t = resolution === 1 ? 0 : k / (resolution - 1);
        const raw = log ? Math.exp(Math.log(low) + t * (Math.log(high) - Math.log(low))) : low + t * (high - low);
        const value = distribution.kind === 'int' ? Math.round(raw) : raw;
        points.add(step === undefined ? tidy(value) : snapToStep(value, low, high, step));
      }
      return [...points];
    }
  }
}
