import { describe, expect, it } from 'vitest';
import { autotune } from '../../src/index.js';
import { repoPath } from '../helpers/tmp.js';

describe('end to end: TPE with Hyperband on digits (BOHB)', () => {
  it('prunes trials and still finds validation accuracy ≥ 0.97', async () => {
    const result = await autotune({
      name: 'digits-bohb',
      data: { source: repoPath('datasets/digits.csv'), target: 'label', task: 'classification' },
      metric: 'val_accuracy',
      direction: 'maximize',
      sampler: { type: 'tpe', startupTrials: 6 },
      scheduler: { type: 'hyperband', minEpochs: 1, maxEpochs: 9, eta: 3 },
      training: { epochs: 9 },
      trials: 20,
      parallelism: 2,
      seed: 3,
      space: {
        learningRate: { float: [1e-3, 3e-2], log: true },
        units: { int: [32, 256], log: true },
        layers: { int: [1, 2] },
        batchSize: { choice: [32, 64] },
      },
    });
    const pruned = result.trials.filter((t) => t.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    expect(result.best.value).toBeGreaterThanOrEqual(0.97);
    // Pruned trials stop at a rung of their bracket and record it.
    for (const t of pruned) {
      expect(typeof t.systemAttrs.bracket).toBe('number');
      expect([1, 3]).toContain(t.lastStep);
    }
    const epochs = result.trials.reduce((s, t) => s + (t.lastStep ?? 0), 0);
    expect(epochs).toBeLessThan(20 * 9);
  });
});
