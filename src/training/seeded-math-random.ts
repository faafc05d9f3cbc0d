import type { Rng } from '../core/rng.js';

/**
 * Runs `work` with Math.random drawing from `rng`. tfjs draws dropout masks and unseeded initializers from
 * Math.random (a seeded Dropout layer would reuse one mask every step), so this is what makes a trial
 * repeatable. Safe because a thread runs one trial at a time; the original is always restored.
 */
export async function withSeededMathRandom<T>(rng: Rng, work: () => Promise<T>): Promise<T> {
  const original = Math.random;
  Math.random = () => rng.float();
  try {
    return await work();
  } finally {
    Math.random = original;
  }
}
