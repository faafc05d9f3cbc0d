import type { Rng } from '../core/rng.js';
import { UNKNOWN_ID } from './tokens.js';

/** Random changes to training examples (never to validation or test rows). */
export interface Augmentation {
  /** Images: shift by up to this many pixels in each direction (the gap filled with zeros). */
  readonly shift: number;
  /** Images: mirror left–right with probability ½ (for data where that keeps the label, not digits). */
  readonly flip: boolean;
  /** Gaussian noise of this standard deviation, in the scaled units the model sees. */
  readonly noise: number;
  /** Text as tokens: replace each word by the unknown id with this probability, so no single word is relied on. */
  readonly tokenDropout: number;
}

export const NO_AUGMENTATION: Augmentation = { shift: 0, flip: false, noise: 0, tokenDropout: 0 };

/** True when the augmentation changes anything. */
export function augments(a: Augmentation): boolean {
  return a.shift > 0 || a.flip || a.noise > 0 || a.tokenDropout > 0;
}

/**
 * Augments a batch in place: `rows` examples of `shape` ([features] or [height, width, channels]), row-major.
 * Shifts and flips apply to images only, token dropout to token ids only, noise to real-valued inputs.
 *
 * @example augmentBatch(x, 32, [8, 8, 1], { shift: 1, flip: false, noise: 0, tokenDropout: 0 }, rng)
 */
export function augmentBatch(x: Float32Array, rows: number, shape: readonly number[], a: Augmentation, rng: Rng, tokenInput = false): void {
  const size = shape.reduce((p, v) => p * v, 1);
  if (tokenInput) {
    if (a.tokenDropout > 0) for (let i = 0; i < rows * size; i++) if (x[i]! > UNKNOWN_ID && rng.float() < a.tokenDropout) x[i] = UNKNOWN_ID;
    return;
  }
  const image = shape.length === 3;
  const scratch = new Float32Array(size);
  for (let r = 0; r < rows; r++) {
    const example = x.subarray(r * size, (r + 1) * size);
    if (image && (a.shift > 0 || a.flip)) {
      const [height, width, channels] = shape as [number, number, number];
      const dy = a.shift > 0 ? rng.int(-a.shift, a.shift) : 0;
      const dx = a.shift > 0 ? rng.int(-a.shift, a.shift) : 0;
      const flip = a.flip && rng.float() < 0.5;
      scratch.fill(0);
      for (let y = 0; y < height; y++) {
        const sy = y - dy;
        if (sy < 0 || sy >= height) continue;
        for (let xPos = 0; xPos < width; xPos++) {
          const sx0 = xPos - dx;
          if (sx0 < 0 || sx0 >= width) continue;
          const sx = flip ? width - 1 - sx0 : sx0;
          for (let c = 0; c < channels; c++)
            scratch[(y * width + xPos) * channels + c] = example[(sy * width + sx) * channels + c] as number;
        }
      }
      example.set(scratch);
    }
    if (a.noise > 0) for (let i = 0; i < size; i++) example[i]! += a.noise * rng.normal();
  }
}
