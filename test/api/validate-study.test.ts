import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autotune } from '../../src/api/autotune.js';
import { validateStudy } from '../../src/api/validate-study.js';
import { InputError } from '../../src/core/errors.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const iris = { source: repoPath('datasets/iris.csv'), target: 'species', task: 'classification' } as const;
const diabetes = { source: repoPath('datasets/diabetes.csv'), target: 'progression', task: 'regression' } as const;

function refusal(study: object): string {
  try {
    validateStudy(study);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('validateStudy accepted the study');
}

describe('validateStudy', () => {
  const dir = useTempDir();

  it('accepts a study file, applies command-line overrides, and returns the dataset it read', () => {
    const { config, table } = validateStudy(repoPath('search-spaces/wine.json'), { search: { trials: 3, seed: undefined } });
    expect(config.search.trials).toBe(3);
    expect(config.search.seed).toBe(7);
    expect(table?.columns).toContain('cultivar');
    expect(table?.rows).toHaveLength(178);
  });

  it('names the study file and the setting when an override is out of range', () => {
    expect(() => validateStudy(repoPath('search-spaces/wine.json'), { search: { parallelism: 500 } })).toThrow(
      /wine\.json \(with command-line options\): invalid study definition\n\s+search\.parallelism: Too big/,
    );
  });

  it('refuses a metric the task does not report, and lists those it does', () => {
    const message = refusal({
      name: 'r',
      data: diabetes,
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      space: { units: 8 },
    });
    expect(message).toBe(
      'objective.metric: "val_accuracy" is not reported by a regression task; choose one of loss, grad_norm, learning_rate, samples_per_second, val_loss, val_mse, val_mae, val_rmse, val_r2, val_mape',
    );
  });

  it('refuses val_auc when the target has more than two classes', () => {
    const message = refusal({ name: 'c', data: iris, objective: { metric: 'val_auc', direction: 'maximize' }, space: { units: 8 } });
    expect(message).toMatch(
      /^objective\.metric: "val_auc" is not reported by a classification task \(AUC needs two classes; "species" has 3\); choose one of loss, accuracy, /,
    );
  });

  it('accepts val_auc on a two-class target', () => {
    const data = { source: repoPath('datasets/breast_cancer_wisconsin.csv'), target: 'diagnosis', task: 'classification' };
    expect(
      validateStudy({ name: 'b', data, objective: { metric: 'val_auc', direction: 'maximize' }, space: { units: 8 } }).config.objective
        .metric,
    ).toBe('val_auc');
  });

  it('refuses a metric one family of the space does not report (ridge has no gradients)', () => {
    const space = { model: { choice: { mlp: {}, ridge: { alpha: 0.1 } } } };
    expect(refusal({ name: 'r', data: diabetes, objective: { metric: 'learning_rate', direction: 'minimize' }, space })).toBe(
      'objective.metric: "learning_rate" is not reported by a ridge model (space.model.choice.ridge); choose one of loss, val_loss, val_mse, val_mae, val_rmse, val_r2, val_mape',
    );
  });

  it('refuses a regression-only family on a classification task', () => {
    const objective = { metric: 'val_loss', direction: 'minimize' };
    expect(refusal({ name: 'c', data: iris, objective, space: { model: { choice: ['mlp', 'ridge'] } } })).toMatch(
      /^space\.model\.choice\[1\]: ridge fits regression targets only, and data\.task is classification/,
    );
  });

  it('refuses a classification-only family on a regression task, and seasonal naive on a table', () => {
    const objective = { metric: 'val_mse', direction: 'minimize' };
    expect(refusal({ name: 'c', data: diabetes, objective, space: { model: { choice: ['ridge', 'logistic'] } } })).toMatch(
      /^space\.model\.choice\[1\]: logistic fits classes only, and data\.task is regression/,
    );
    expect(refusal({ name: 'c', data: diabetes, objective, space: { model: { choice: ['ridge', 'seasonalNaive'] } } })).toMatch(
      /^space\.model\.choice\[1\]: seasonalNaive forecasts a series, and data\.input\.kind is tabular/,
    );
  });

  it('refuses an objective module or a loss module that is not a file', () => {
    const missing = repoPath('test/fixtures/objectives/no-such-objective.mjs');
    expect(refusal({ name: 'm', objective: { module: missing, direction: 'minimize' }, space: { x: { float: [0, 1] } } })).toBe(
      `objective.module: ${missing} does not exist`,
    );
    const folder = repoPath('test/fixtures/losses');
    expect(
      refusal({
        name: 'l',
        data: iris,
        objective: { metric: 'val_loss', direction: 'minimize' },
        training: { lossModule: folder },
        space: { loss: 'custom' },
      }),
    ).toBe(`training.lossModule: ${folder} is not a file`);
  });

  it('makes autotune() reject such a study before it opens its storage', async () => {
    const db = join(dir(), 'never.db');
    const run = autotune({ data: diabetes, metric: 'val_r3', space: { units: 8 }, trials: 1, storage: db });
    await expect(run).rejects.toThrow(/objective\.metric: "val_r3" is not reported by a regression task/);
    expect(existsSync(db)).toBe(false);
  });
});
