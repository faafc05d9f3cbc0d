import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { augmentBatch, NO_AUGMENTATION } from '../../src/data/augment.js';
import { loadDataset } from '../../src/data/cache.js';
import { parseStudy } from '../../src/space/index.js';
import { trainTrial } from '../../src/training/train-trial.js';
import { repoPath } from '../helpers/tmp.js';

describe('augmentation', () => {
  it('shifts an image with zero fill, and flips it left to right', () => {
    // One 3×3 single-channel image with a single lit pixel in the centre.
    const centre = Float32Array.of(0, 0, 0, 0, 1, 0, 0, 0, 0);
    const seen = new Set<number>();
    const rng = new Rng(4);
    for (let i = 0; i < 200; i++) {
      const x = Float32Array.from(centre);
      augmentBatch(x, 1, [3, 3, 1], { ...NO_AUGMENTATION, shift: 1 }, rng);
      expect(x.reduce((s, v) => s + v, 0)).toBe(1);
      seen.add(x.indexOf(1));
    }
    expect(seen).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8]));
    const left = Float32Array.of(1, 0, 0, 0, 0, 0, 0, 0, 0);
    const flips = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const x = Float32Array.from(left);
      augmentBatch(x, 1, [3, 3, 1], { ...NO_AUGMENTATION, flip: true }, rng);
      flips.add(x.indexOf(1));
    }
    expect(flips).toEqual(new Set([0, 2]));
  });

  it('adds noise of the requested size to tabular rows', () => {
    const x = new Float32Array(20_000);
    augmentBatch(x, 2_000, [10], { ...NO_AUGMENTATION, noise: 0.5 }, new Rng(1));
    const sd = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    expect(sd).toBeCloseTo(0.5, 1);
  });

  it('never touches the stored training, validation or test rows', async () => {
    const config = parseStudy({
      name: 'aug',
      data: {
        source: repoPath('datasets/digits.csv'),
        target: 'label',
        task: 'classification',
        input: { kind: 'image', shape: [8, 8, 1] },
      },
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      training: { epochs: 2 },
      space: { loss: 'auto' },
    });
    const dataset = loadDataset(config.data!, 0);
    const before = [dataset.train.x, dataset.validation.x, dataset.test.x].map((a) => Float32Array.from(a));
    const outcome = await trainTrial(
      {
        kind: 'train',
        trialNumber: 0,
        seed: 2,
        params: { augment: { type: 'strong', shift: 2, noise: 0.3 } },
        data: config.data!,
        dataSeed: 0,
        training: config.training,
        objective: config.objective,
      },
      { report: async () => ({ stop: false }) },
    );
    expect(outcome.type).toBe('complete');
    expect([dataset.train.x, dataset.validation.x, dataset.test.x]).toEqual(before);
  });
});
