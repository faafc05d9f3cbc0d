import { describe, expect, it } from 'vitest';
import { autotune } from '../../src/api/autotune.js';
import { duplicatesAvoided } from '../../src/controller/duplicates.js';
import type { Study } from '../../src/controller/study.js';
import { Rng } from '../../src/core/rng.js';
import type { FlatParams, Params, TrialRecord } from '../../src/core/types.js';
import { suggestDistinct, type Sampler } from '../../src/samplers/index.js';
import { compileSpace, type SpaceSpec } from '../../src/space/index.js';
import { inlineConfig, openStudy } from '../helpers/studies.js';

/**
 * A monthly series as the issue met it: a ridge fit whose best lookback is 12 and whose α barely matters, against
 * an MLP that is worse everywhere. TPE's good density then sits on one configuration.
 */
const SERIES_SPACE: SpaceSpec = {
  lookback: { int: [3, 24] },
  model: { choice: { ridge: { alpha: { choice: [0.01, 0.1, 1] } }, mlp: { units: { choice: [16, 32, 64] } } } },
};
const seriesLoss = (p: Params) => {
  const model = p.model as { type: string; alpha?: number };
  return Math.abs((p.lookback as number) - 12) / 12 + (model.type === 'ridge' ? 0.001 * (model.alpha as number) : 0.5);
};

/** Runs a study to its end with ask/tell and returns its trials. */
async function run(study: Study, objective: (p: Params) => number): Promise<readonly TrialRecord[]> {
  for (;;) {
    const asked = await study.ask({ maxTrials: study.config.search.trials });
    if (!asked) return study.trials;
    await study.tell(asked.trial, objective(asked.params));
  }
}

const keyOf = (t: TrialRecord) => JSON.stringify(Object.entries(t.params).sort(([a], [b]) => a.localeCompare(b)));

describe('no configuration runs twice', () => {
  it('TPE on a ridge-vs-MLP series space: 24 distinct trials, and the duplicates turned away are counted', async () => {
    const config = inlineConfig({ space: SERIES_SPACE, sampler: { type: 'tpe', startupTrials: 5 }, seed: 7, trials: 24, name: 'series' });
    const trials = await run(await openStudy(config), seriesLoss);
    expect(trials).toHaveLength(24);
    expect(new Set(trials.map(keyOf)).size).toBe(24);
    const avoided = duplicatesAvoided(trials);
    expect(avoided.trials).toBeGreaterThan(0);
    expect(avoided.candidates).toBeGreaterThanOrEqual(avoided.trials);
    // The search still homes in: the best trial is a ridge at lookback 12.
    const best = [...trials].sort((a, b) => (a.values?.[0] as number) - (b.values?.[0] as number))[0]!;
    expect(best.params).toMatchObject({ model: 'ridge', lookback: 12 });
  });

  it.each([
    ['random', 'random'],
    ['qmc', 'qmc'],
    ['gp', { type: 'gp', startupTrials: 3, candidates: 64 }],
  ])('%s on a space of 6 configurations: 6 trials, then the space is exhausted', async (_name, sampler) => {
    const space: SpaceSpec = { activation: { choice: ['relu', 'tanh'] }, layers: { int: [1, 3] } };
    const config = inlineConfig({ space, sampler, seed: 3, trials: 10, name: 'tiny' });
    const trials = await run(await openStudy(config), (p) => (p.layers as number) + (p.activation === 'relu' ? 0 : 0.5));
    expect(trials).toHaveLength(6);
    expect(new Set(trials.map(keyOf)).size).toBe(6);
  });
});

describe('the count of duplicates avoided is visible', () => {
  it('autotune() returns it with the study', async () => {
    const result = await autotune({
      space: { activation: { choice: ['relu', 'tanh'] }, layers: { int: [1, 3] } },
      objective: (p) => (p.layers as number) + (p.activation === 'relu' ? 0 : 0.5),
      direction: 'minimize',
      sampler: 'random',
      trials: 10,
      seed: 3,
      storage: ':memory:',
    });
    expect(result.trials).toHaveLength(6);
    expect(result.study.stopReason).toBe('exhausted');
    expect(result.study.duplicatesAvoided).toEqual(duplicatesAvoided(result.trials));
    expect(result.study.duplicatesAvoided.trials).toBeGreaterThan(0);
  });
});

describe('suggestDistinct', () => {
  const space = compileSpace({
    lr: { float: [1e-4, 1e-1], log: true },
    model: { choice: { ridge: { alpha: { float: [1e-3, 10], log: true } }, mlp: { units: { int: [8, 64] } } } },
  });
  const trial = (number: number, params: FlatParams) =>
    ({ number, state: 'complete', params, distributions: {}, systemAttrs: {} }) as unknown as TrialRecord;
  /** A sampler that proposes the listed configurations in turn. */
  const proposing = (configs: readonly FlatParams[]): Sampler => {
    let next = 0;
    return { name: 'listed', suggest: () => configs[next++] ?? null };
  };
  const ctx = (trials: readonly TrialRecord[]) => ({
    space,
    directions: ['minimize'] as const,
    trials,
    trialNumber: trials.length,
    rng: new Rng(1),
  });

  it('compares floats at a ten-thousandth of their (log) range: 0.01 % apart is the same, 1 % apart is new', () => {
    const done = [trial(0, { lr: 0.001, model: 'ridge', 'model.ridge.alpha': 1 })];
    const near = { lr: 0.001 * (1 + 1e-4), model: 'ridge', 'model.ridge.alpha': 1 };
    const apart = { lr: 0.00101, model: 'ridge', 'model.ridge.alpha': 1 };
    expect(suggestDistinct(proposing([near, apart]), ctx(done))).toEqual({ params: apart, duplicates: 1 });
    expect(suggestDistinct(proposing([apart]), ctx(done))).toEqual({ params: apart, duplicates: 0 });
  });

  it('compares only the parameters an earlier trial has: a ridge trial without lr is the same ridge', () => {
    const done = [trial(0, { model: 'ridge', 'model.ridge.alpha': 1 })];
    const same = { lr: 0.003, model: 'ridge', 'model.ridge.alpha': 1 };
    const mlp = { lr: 0.003, model: 'mlp', 'model.mlp.units': 8 };
    expect(suggestDistinct(proposing([same, mlp]), ctx(done))).toEqual({ params: mlp, duplicates: 1 });
  });

  it('a space of constants only repeats its one configuration: several trials of it are asked-for repeats', () => {
    const constants = compileSpace({ units: 16, learningRate: 0.01 });
    const done = [trial(0, { units: 16, learningRate: 0.01 })];
    const asked = suggestDistinct(proposing([{ units: 16, learningRate: 0.01 }]), { ...ctx(done), space: constants });
    expect(asked).toEqual({ params: { units: 16, learningRate: 0.01 }, duplicates: 0 });
  });

  it('a running trial counts as taken, and the sampler returning nothing stays nothing', () => {
    const running = [{ ...trial(0, { lr: 0.01, model: 'mlp', 'model.mlp.units': 8 }), state: 'running' } as TrialRecord];
    const second = { lr: 0.02, model: 'mlp', 'model.mlp.units': 8 };
    expect(suggestDistinct(proposing([running[0]!.params, second]), ctx(running))).toEqual({ params: second, duplicates: 1 });
    expect(suggestDistinct(proposing([]), ctx(running))).toEqual({ params: null, duplicates: 0 });
  });
});
