import { describe, expect, it } from 'vitest';
import { validateStudy } from '../../src/api/validate-study.js';
import { largestModel } from '../../src/training/largest-model.js';
import { repoPath } from '../helpers/tmp.js';

function study(data: Record<string, unknown>, space: Record<string, unknown>) {
  const { config, table } = validateStudy(
    { name: 'largest', data, objective: { metric: 'val_loss', direction: 'minimize' }, space },
    { baseDir: repoPath() },
  );
  return largestModel({ ...config, data: config.data! }, table!);
}

const IRIS = { source: 'datasets/iris.csv', target: 'species', task: 'classification' };
const DIGITS = { source: 'datasets/digits.csv', target: 'label', task: 'classification', input: { kind: 'image', shape: [8, 8, 1] } };

describe('the largest model of a space', () => {
  it('takes every size parameter at its upper bound on iris (4 features, 3 classes)', () => {
    const largest = study(IRIS, {
      layers: { int: [1, 2] },
      units: { choice: [8, 16, 32, 64] },
      learningRate: { float: [1e-3, 1e-1], log: true },
    });
    // Two hidden layers of 64: 4·64+64 + 64·64+64 + 64·3+3.
    expect(largest?.parameters).toBe(4 * 64 + 64 + (64 * 64 + 64) + (64 * 3 + 3));
    expect(largest?.params).toMatchObject({ layers: 2, units: 64 });
  });

  it('finds the lower bound where a parameter shrinks the model (a CNN stride), and the step grid’s top', () => {
    const largest = study(DIGITS, {
      model: {
        choice: {
          cnn: { blocks: 1, filters: { int: [4, 10], step: 4 }, kernelSize: 3, stride: { int: [1, 2] }, pooling: 'none', dense: 16 },
        },
      },
    });
    // Stride 1 keeps 8×8: a 3×3 conv of 8 filters (3·3·1·8+8), dense 16 on 8·8·8 features, then 10 classes.
    expect(largest?.params).toMatchObject({ 'model.cnn.stride': 1, 'model.cnn.filters': 8 });
    expect(largest?.parameters).toBe(3 * 3 * 8 + 8 + (8 * 8 * 8 * 16 + 16) + (16 * 10 + 10));
  });

  it('skips branches that cannot read the input (a Transformer on a table) and reports none when nothing can', () => {
    const mixed = study(IRIS, { model: { choice: { transformer: { embedDim: 256 }, mlp: { layers: 1, units: 10 } } } });
    expect(mixed).toEqual({
      parameters: 4 * 10 + 10 + (10 * 3 + 3),
      params: { model: 'mlp', 'model.mlp.layers': 1, 'model.mlp.units': 10 },
    });
    expect(study(IRIS, { model: { choice: { transformer: { embedDim: 32 } } } })).toBeNull();
  });
});
