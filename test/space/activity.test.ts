import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { FlatParams, TrialRecord } from '../../src/core/types.js';
import { GridSampler } from '../../src/samplers/grid.js';
import { TpeSampler } from '../../src/samplers/tpe/sampler.js';
import { checkParams, compileStudySpace, gridValues, loadStudyFile, parseStudy, type StudyConfig } from '../../src/space/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { repoPath } from '../helpers/tmp.js';
import { openStudy, SAMPLER_CONFIGS } from '../helpers/studies.js';

/** A shipped study file with another sampler and seed. */
function shipped(file: string, sampler: unknown, seed: number): StudyConfig {
  const { config } = loadStudyFile(repoPath('search-spaces', file));
  // Sampled trials only: baselines carry their own parameters, outside the space.
  return parseStudy({ ...config, search: { ...config.search, sampler, seed, parallelism: 1, gridResolution: 2, baselines: false } });
}

/** Trials enough to see both kinds: a coarse grid is run to the end (it is cheap), the others 24. */
const trialsFor = (sampler: unknown) => (sampler === 'grid' ? 200 : 24);

/** Asks and tells `n` trials (a value from the learning rate, when the trial has one); returns what storage holds. */
async function storedTrials(config: StudyConfig, n: number): Promise<TrialRecord[]> {
  const storage = new MemoryStorage();
  const study = await openStudy(config, storage);
  for (let i = 0; i < n; i++) {
    const asked = await study.ask();
    if (!asked) break;
    const lr = asked.trial.params.learningRate;
    await study.tell(asked.trial, typeof lr === 'number' ? Math.abs(Math.log10(lr) + 2) : 1 + i / n);
  }
  const trials = await storage.listTrials(study.id);
  for (const trial of trials) {
    expect(checkParams(study.space, trial.params)).toEqual([]);
    expect(Object.keys(trial.distributions).sort()).toEqual(Object.keys(trial.params).sort());
  }
  return trials;
}

const keys = (params: FlatParams) => Object.keys(params).sort();

describe.each(Object.entries(SAMPLER_CONFIGS))('Parameters a trial’s model does not read (%s)', (_name, sampler) => {
  it('are not sampled or stored: a ridge trial holds no optimizer, learning rate, batch size, l2 or patience', async () => {
    const trials = await storedTrials(shipped('air-passengers-rnn.json', sampler, 4), trialsFor(sampler));
    const ridge = trials.filter((t) => t.params.model === 'ridge');
    const rnn = trials.filter((t) => t.params.model === 'rnn');
    expect(ridge.length).toBeGreaterThan(0);
    expect(rnn.length).toBeGreaterThan(0);
    for (const t of ridge) expect(keys(t.params)).toEqual(['model', 'model.ridge.alpha']);
    for (const t of rnn) {
      expect(keys(t.params)).toEqual([
        'batchSize',
        'l2',
        'learningRate',
        'model',
        'model.rnn.cell',
        'model.rnn.units',
        'optimizer',
        'patience',
      ]);
    }
  });

  it('drop the hidden-layer parameters of an MLP with no hidden layers', async () => {
    const trials = await storedTrials(shipped('airquality.json', sampler, 1), trialsFor(sampler));
    const linear = trials.filter((t) => t.params.layers === 0);
    const hidden = trials.filter((t) => (t.params.layers as number) > 0);
    expect(linear.length).toBeGreaterThan(0);
    expect(hidden.length).toBeGreaterThan(0);
    for (const t of linear) expect(keys(t.params)).toEqual(['batchSize', 'layers', 'learningRate', 'optimizer']);
    for (const t of hidden)
      expect(keys(t.params)).toEqual(['activation', 'batchSize', 'l2', 'layers', 'learningRate', 'optimizer', 'units']);
  });

  it('drop momentum for an optimizer without it', async () => {
    const config = parseStudy({
      name: 'momentum',
      data: { source: repoPath('datasets/wine.csv'), target: 'cultivar', task: 'classification' },
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      search: { sampler, seed: 5, baselines: false },
      space: {
        optimizer: { choice: ['adam', 'sgd', 'rmsprop'] },
        momentum: { float: [0, 0.9] },
        nesterov: { choice: [false, true] },
        learningRate: { float: [1e-3, 1e-1], log: true },
      },
    });
    const trials = await storedTrials(config, 18);
    expect(new Set(trials.map((t) => t.params.optimizer)).size).toBe(3);
    for (const t of trials) {
      expect(t.params.momentum !== undefined, `${String(t.params.optimizer)} momentum`).toBe(t.params.optimizer !== 'adam');
      expect(t.params.nesterov !== undefined, `${String(t.params.optimizer)} nesterov`).toBe(t.params.optimizer === 'sgd');
    }
  });
});

describe('the activity rule in the samplers', () => {
  it('hands the trainer a ridge trial without the parameters it does not read', async () => {
    const study = await openStudy(shipped('air-passengers-rnn.json', 'random', 1));
    for (let i = 0; i < 12; i++) {
      const asked = (await study.ask())!;
      if (asked.trial.params.model === 'ridge') {
        expect(Object.keys(asked.params)).toEqual(['model']);
        return;
      }
      await study.tell(asked.trial, 1);
    }
    throw new Error('no ridge trial in 12');
  });

  it('counts a grid point once when it differs only in parameters its trial does not read', () => {
    const config = shipped('air-passengers-rnn.json', 'grid', 1);
    const space = compileStudySpace(config);
    const points = (path: string) =>
      gridValues(space.nodes.flatMap((n) => [n, ...Object.values(n.branches ?? {}).flat()]).find((n) => n.path === path)!.distribution, 3)
        .length;
    const ridge = points('model.ridge.alpha');
    const rnn = points('model.rnn.cell') * points('model.rnn.units') * points('learningRate') * points('batchSize') * points('l2');
    expect(new GridSampler(space, { resolution: 3, seed: 1 }).size).toBe(ridge + rnn);
  });

  it('TPE models the learning rate from the trials that read it, good and bad split included', () => {
    const config = parseStudy({
      name: 'tpe-activity',
      data: { source: repoPath('datasets/diabetes.csv'), target: 'progression', task: 'regression' },
      objective: { metric: 'val_loss', direction: 'minimize' },
      space: { learningRate: { float: [1e-4, 1e-1], log: true }, model: { choice: { mlp: { layers: 1 }, ridge: { alpha: 1 } } } },
    });
    const space = compileStudySpace(config);
    const trial = (number: number, params: FlatParams, value: number): TrialRecord => ({
      id: number + 1,
      studyId: 1,
      number,
      state: 'complete',
      params,
      distributions: {},
      values: [value],
      metrics: {},
      seed: number,
      backend: null,
      failReason: null,
      lastStep: null,
      userAttrs: {},
      systemAttrs: {},
      createdAt: 0,
      startedAt: 0,
      finishedAt: 0,
      heartbeatAt: 0,
    });
    const mlp = Array.from({ length: 20 }, (_, k) => {
      const learningRate = 10 ** (-4 + (3 * k) / 19);
      return trial(k, { learningRate, model: 'mlp', 'model.mlp.layers': 1 }, (Math.log10(learningRate) + 2) ** 2);
    });
    // Ridge trials worse than every MLP: counted in the learning rate's split, more of them would move MLP trials
    // from its bad density to its good one (the good share is a tenth of all trials).
    const ridge = (from: number) =>
      Array.from({ length: 20 }, (_, k) => trial(from + k, { model: 'ridge', 'model.ridge.alpha': 1 }, 100 + from + k));
    const suggest = (trials: readonly TrialRecord[]) =>
      new TpeSampler(space, { startupTrials: 5, seed: 3 }).suggest({
        space,
        directions: ['minimize'],
        trials,
        trialNumber: trials.length,
        rng: new Rng(9),
      });
    const alone = suggest([...mlp, ...ridge(20)]);
    const beside = suggest([...mlp, ...ridge(20), ...ridge(40)]);
    expect([alone.model, beside.model]).toEqual(['mlp', 'mlp']);
    expect(beside.learningRate).toBeTypeOf('number');
    expect(beside.learningRate).toBe(alone.learningRate);
    // And the model did its job: the good MLP trials sit near 1e-2.
    expect(Math.abs(Math.log10(alone.learningRate as number) + 2)).toBeLessThan(1);
  });
});
