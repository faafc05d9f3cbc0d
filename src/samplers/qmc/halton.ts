import { Rng } from '../../core/rng.js';

const PRIMES = firstPrimes(256);

function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return primes;
}

const DIGITS = 24;

/**
 * A scrambled Halton sequence: dimension d uses the d-th prime as its base and a seeded permutation of the digits
 * at every position (random digit scrambling), which removes the correlation between high dimensions that makes
 * plain Halton points line up. Point k is a pure function of (seed, k), so any process can compute it.
 *
 * @example new ScrambledHalton(3, 42).point(0) // three numbers in [0, 1)
 */
export class ScrambledHalton {
  private readonly permutations: Uint16Array[][];

  constructor(
    readonly dimensions: number,
    seed: number,
  ) {
    if (dimensions > PRIMES.length) throw new RangeError(`Halton supports at most ${PRIMES.length} dimensions`);
    const rng = new Rng(seed).fork('halton');
    this.permutations = Array.from({ length: dimensions }, (_, d) => {
      const base = PRIMES[d] as number;
      return Array.from({ length: DIGITS }, () => Uint16Array.from(rng.shuffle([...Array(base).keys()])));
    });
  }

  /** The k-th point (k ≥ 0); index 0 is not the origin, thanks to the scrambling. */
  point(k: number): number[] {
    return this.permutations.map((perms, d) => {
      const base = PRIMES[d] as number;
      let n = k + 1;
      let value = 0;
      let scale = 1 / base;
      for (let j = 0; j < DIGITS; j++) {
        const digit = n % base;
        n = Math.floor(n / base);
        value += (perms[j] as Uint16Array)[digit]! * scale;
        scale /= base;
        if (scale < 1e-16) break;
      }
      return Math.min(value, 1 - 1e-12);
    });
  }
}
