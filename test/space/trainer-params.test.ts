import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrialFailedError } from '../../src/core/errors.js';
import type { Params } from '../../src/core/types.js';
import { readHyperparameters } from '../../src/training/hyperparameters.js';
import { loadStudyFile, parseStudy, type SpaceSpec } from '../../src/space/index.js';
import { AUGMENT_PARAMS, FIT_PARAMS, MODEL_FAMILIES, SCHEDULE_PARAMS } from '../../src/space/trainer-names.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const WINE = { source: repoPath('datasets/wine.csv'), target: 'cultivar', task: 'classification' };

/** A wine study with this space, trained by the built-in trainer. */
const wineStudy = (space: SpaceSpec, input?: unknown) => ({
  name: 'wine',
  data: input ? { ...WINE, input } : WINE,
  objective: { metric: 'val_accuracy', direction: 'maximize' },
  space,
});

/** The issue lines of a study the validation refuses. */
function issuesOf(study: unknown): string[] {
  try {
    parseStudy(study);
  } catch (error) {
    return (error as Error).message
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
  }
  throw new Error('the study was accepted');
}

describe('study files: parameters the trainer does not read', () => {
  it('refuses a misspelled parameter with its JSON path and the nearest name the trainer reads', () => {
    expect(issuesOf(wineStudy({ learningrate: 0.05 }))).toEqual([
      'space.learningrate: not a parameter of the trainer; did you mean learningRate?',
    ]);
    expect(issuesOf(wineStudy({ model: { choice: { mlp: { units: 32, dropuot: { float: [0, 0.5] } } } } }))).toEqual([
      'space.model.choice.mlp.dropuot: not a parameter of the trainer; did you mean dropout?',
    ]);
    expect(issuesOf(wineStudy({ colour: 'red' }))).toEqual(['space.colour: not a parameter of the trainer']);
    // Not read by the only model here, but still what the user meant.
    expect(issuesOf(wineStudy({ model: 'ridge', learningrate: 0.05 }))).toEqual([
      'space.learningrate: not a parameter of the trainer; did you mean learningRate?',
    ]);
  });

  it('refuses a parameter that the model of its branch, or every model of the space, does not read', () => {
    expect(issuesOf(wineStudy({ model: { choice: { ridge: { alpha: 1, learningRate: 0.01 }, mlp: {} } } }))).toEqual([
      'space.model.choice.ridge.learningRate: not a parameter of the ridge model',
    ]);
    expect(issuesOf(wineStudy({ model: { choice: ['mlp', 'rnn'] }, filters: 16 }))).toEqual([
      'space.filters: not a parameter of the mlp or rnn models',
    ]);
    expect(issuesOf(wineStudy({ model: { choice: { linear: { layers: 0 } } } }))).toEqual([
      'space.model.choice.linear.layers: not a parameter of the linear model',
    ]);
  });

  it('refuses a model, optimizer or schedule the trainer does not have, and momentum where the optimizer has none', () => {
    expect(issuesOf(wineStudy({ model: { choice: ['mlp', 'mpl'] } }))).toEqual([
      'space.model.choice[1]: "mpl" is not a model (mlp, linear, cnn, rnn, transformer, ridge, logistic, majority, mean, seasonalNaive); did you mean mlp?',
    ]);
    expect(issuesOf(wineStudy({ optimizer: { choice: { adma: {}, adam: { momentum: 0.9 } } } }))).toEqual([
      'space.optimizer.choice.adma: "adma" is not an optimizer (sgd, adam, rmsprop, adagrad); did you mean adam?',
      'space.optimizer.choice.adam.momentum: not a parameter of the adam optimizer',
    ]);
    expect(issuesOf(wineStudy({ schedule: { choice: { cosin: { minFactor: 0.1 } } } }))).toEqual([
      'space.schedule.choice.cosin: "cosin" is not a schedule (constant, step, cosine); did you mean cosine?',
    ]);
    expect(issuesOf(wineStudy({ activation: { choice: { relu: {}, tanh: {} } } }))).toEqual([
      'space.activation.choice: the trainer reads activation as a plain value; use {"choice": [...]} without branches',
    ]);
  });

  it('knows which data settings the study’s input has', () => {
    expect(issuesOf(wineStudy({ lookback: 12 }))).toEqual([
      "space.lookback: a data setting of series input, and this study's input is tabular",
    ]);
    const accepted = { scaling: { choice: ['standard', 'minmax'] }, model: { choice: { ridge: { impute: 'mean' } } } };
    expect(parseStudy(wineStudy(accepted)).space).toMatchObject(accepted);
  });

  it('leaves the spaces of objective modules and functions free-form', () => {
    const module = { name: 'm', objective: { module: './f.mjs', direction: 'minimize' }, space: { learningrate: 0.05 } };
    expect(parseStudy(module).space).toEqual({ learningrate: 0.05 });
    expect(parseStudy({ ...wineStudy({ colour: 'red' }) }, undefined, { inlineObjective: true }).space).toEqual({ colour: 'red' });
  });

  it('accepts the README’s study-file example', () => {
    const example = /## Study files\n\n```jsonc\n([^`]*)```/.exec(readFileSync(repoPath('README.md'), 'utf8'))?.[1];
    expect(example).toBeDefined();
    expect(parseStudy(JSON.parse(example!)).name).toBe('breast-cancer-mlp');
  });

  it('accepts every shipped study file', () => {
    const files = readdirSync(repoPath('search-spaces')).filter((f) => f.endsWith('.json') && f !== 'schema.json');
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(() => loadStudyFile(repoPath('search-spaces', file)), file).not.toThrow();
  });

  describe('on the command line', () => {
    const dir = useTempDir();
    it('`autotune run` exits 2 with one line naming the file and the path, and writes nothing', () => {
      const file = join(dir(), 'typo.json');
      writeFileSync(file, JSON.stringify(wineStudy({ learningrate: 0.05, layers: 1 })));
      const db = join(dir(), 'never.db');
      const out = spawnSync(process.execPath, [repoPath('dist/src/cli/main.js'), 'run', file, '--storage', db], { encoding: 'utf8' });
      expect(out.status).toBe(2);
      expect(out.stderr).toContain('typo.json: invalid study definition');
      expect(out.stderr).toContain('space.learningrate: not a parameter of the trainer; did you mean learningRate?');
      expect(out.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(db)).toBe(false);
    });
  });
});

describe('the trainer reads every name it declares', () => {
  /** The failure of reading `params`, which must name `name` (proof that the trainer looked at it). */
  const failureNaming = (params: Params, name: string) => {
    expect(() => readHyperparameters(params, 10), name).toThrow(TrialFailedError);
    expect(() => readHyperparameters(params, 10), name).toThrow(new RegExp(`parameter ${name}=`));
  };
  const BAD = 'not-a-value';

  it('reads each family’s architecture names, at the top level and in the model’s branch', () => {
    for (const [family, declared] of Object.entries(MODEL_FAMILIES)) {
      for (const name of declared.architecture) {
        failureNaming({ model: family, [name]: BAD }, name);
        failureNaming({ model: { type: family, [name]: BAD } }, name);
      }
    }
  });

  it('reads the fitting names beside the architecture and in the optimizer’s branch, and the schedule and augmentation names', () => {
    for (const name of FIT_PARAMS) {
      if (name === 'batchSize') continue; // 'full' is its one string; a bad string is read as an integer
      failureNaming({ [name]: BAD }, name);
      if (name !== 'optimizer') failureNaming({ optimizer: { type: 'sgd', [name]: BAD } }, name);
    }
    failureNaming({ batchSize: -1 }, 'batchSize');
    for (const name of AUGMENT_PARAMS) {
      failureNaming({ [name]: BAD }, name);
      failureNaming({ augment: { type: 'light', [name]: BAD } }, name);
    }
    for (const [schedule, names] of Object.entries(SCHEDULE_PARAMS)) {
      for (const name of names) failureNaming({ schedule: { type: schedule, [name]: BAD } }, name);
    }
  });

  it('reads a linear model as an MLP without hidden layers', () => {
    expect(readHyperparameters({ model: 'linear', units: 512 }, 10).model).toMatchObject({ type: 'mlp', layers: 0, units: 64 });
  });
});
