import { mersenne } from 'pure-rand/generator/mersenne';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * Mixes a seed with any number of keys into a new 32-bit seed (splitmix32 finaliser). Forks are how every trial,
 * sampler and worker gets an independent, reproducible stream: `forkSeed(studySeed, trialNumber)`.
 *
 * @example forkSeed(42, 7) === forkSeed(42, 7) // true, and differs from forkSeed(42, 8)
 */
export function forkSeed(seed: number, ...keys: readonly (number | string)[]): number {
  let h = mix32(seed >>> 0);
  for (const key of keys) {
    const value = typeof key === 'number' ? key >>> 0 : hashString(key);
    h = mix32((h ^ value) >>> 0);
    h = mix32((h + 0x9e3779b9) >>> 0);
  }
  return h >>> 0;
}

function mix32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * A seeded random stream (Mersenne Twister from pure-rand; its seeds are hashed first because small raw seeds give
 * correlated first draws in some generators).
 *
 * @example const rng = new Rng(42); rng.float(); rng.int(1, 6); rng.fork('trial', 3).normal();
 */
export class Rng {
  readonly seed: number;
  private readonly generator: RandomGenerator;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.generator = mersenne(forkSeed(this.seed));
  }

  /** An independent stream derived from this one's seed and the keys; does not advance this stream. */
  fork(...keys: readonly (number | string)[]): Rng {
    return new Rng(forkSeed(this.seed, ...keys));
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform integer in [low, high], both included. */
  int(low: number, high: number): number {
    return low + Math.floor(this.float() * (high - low + 1));
  }

  /** A fresh 32-bit seed, for libraries that take a numeric seed (tfjs initializers). */
  uint32(): number {
    return this.generator.next() >>> 0;
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    for (;;) {
      const u = 2 * this.float() - 1;
      const v = 2 * this.float() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const factor = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * factor;
        return u * factor;
      }
    }
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty array');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}
