import { describe, expect, it } from 'vitest';
import { baselineOf, isBaseline } from '../../src/core/annotations.js';
import { baselineLift } from '../../src/core/lift.js';
import { plannedBaselines } from '../../src/controller/baselines.js';
import { runSearch } from '../../src/controller/search.js';
import { Study } from '../../src/controller/study.js';
import { taskBuilder } from '../../src/controller/tasks.js';
import { RandomSampler } from '../../src/samplers/random.js';
import type { Sampler } from '../../src/samplers/sampler.js';
import { parseStudy } from '../../src/space/index.js';
import { MemoryStorage } from '../../src/storage/memory.js';
import { InlineRunner } from '../../src/training/inline-runner.js';
import { repoPath } from '../helpers/tmp.js';

function irisStudy(search: Record<string, unknown>) {
  return parseStudy({
    name: 'iris-baselines',
    data: { source: repoPath('datasets/iris.csv'), target: 'species', task: 'classification' },
    objective: { metric: 'val_accuracy', direction: 'maximize' },
    search: { sampler: 'random', seed: 4, ...search },
    training: { epochs: 2, keepArtifacts: 0 },
    space: { model: 'linear', learningRate: { float: [0.01, 0.3], log: true }, batchSize: { choice: [8, 16, 32] } },
  });
}

/** A random sampler that records what the controller showed it. */
function recordingSampler(): Sampler & { readonly seen: { trialNumber: number; trials: number[] }[] } {
  const random = new RandomSampler();
  const seen: { trialNumber: number; trials: number[] }[] = [];
  return {
    name: 'recording',
    seen,
    suggest: (ctx) => {
      seen.push({ trialNumber: ctx.trialNumber, trials: ctx.trials.map((t) => t.number) });
      return random.suggest(ctx);
    },
  };
}

async function run(storage: MemoryStorage, config: ReturnType<typeof irisStudy>, sampler: Sampler | undefined): Promise<Study> {
  const study = await Study.open(storage, config, sampler ? { sampler } : {});
  await runSearch(study, new InlineRunner(), { taskFor: taskBuilder(config) });
  return study;
}

describe('baselines as trials', () => {
  it('runs majority and logistic first, outside the trial budget and outside what the sampler sees', async () => {
    const storage = new MemoryStorage();
    const sampler = recordingSampler();
    const study = await run(storage, irisStudy({ trials: 3 }), sampler);

    const trials = await storage.listTrials(study.id);
    expect(trials).toHaveLength(5);
    const baselines = trials.filter(isBaseline);
    expect(baselines.map((t) => [t.number, baselineOf(t), t.params, t.state])).toEqual([
      [0, 'majority', { model: 'majority' }, 'complete'],
      [1, 'logistic', { model: 'logistic' }, 'complete'],
    ]);
    expect(baselines.map((t) => t.lastStep)).toEqual([1, 1]);
    expect(trials.filter((t) => !isBaseline(t)).map((t) => t.number)).toEqual([2, 3, 4]);
    // The sampler numbered its trials from 0 and never saw a baseline in the history it was given.
    expect(sampler.seen.map((s) => s.trialNumber)).toEqual([0, 1, 2]);
    expect(sampler.seen.flatMap((s) => s.trials).filter((n) => n < 2)).toEqual([]);
    expect(sampler.seen.at(-1)?.trials).toEqual([2, 3]);
    // Logistic regression on iris is a real bar: well above the majority class.
    expect(baselines[1]!.values![0]).toBeGreaterThan(0.85);
    expect(baselines[0]!.values![0]).toBeLessThan(0.5);

    // The lift: the best searched trial against logistic regression, by the ranking of core/rank.ts.
    const searched = trials.filter((t) => !isBaseline(t) && t.state === 'complete').map((t) => t.values![0] as number);
    const lift = baselineLift(trials, 'maximize')!;
    expect(lift.baselineName).toBe('logistic');
    expect(lift.lift).toBeCloseTo(Math.max(...searched) - (baselines[1]!.values![0] as number), 12);
    expect(lift.beaten).toBe(Math.max(...searched) > (baselines[1]!.values![0] as number));
  });

  it.each(['random', 'grid', 'qmc', 'tpe'])(
    '%s samples the same configurations, with the same seeds, as the study without baselines',
    async (sampler) => {
      const withBaselines = await run(new MemoryStorage(), irisStudy({ trials: 3, sampler }), undefined);
      const without = await run(new MemoryStorage(), irisStudy({ trials: 3, sampler, baselines: false }), undefined);
      const searched = (study: Study) => study.trials.filter((t) => !isBaseline(t)).map((t) => [t.params, t.seed, t.state]);
      expect(without.trials.some(isBaseline)).toBe(false);
      expect(without.trials).toHaveLength(3);
      expect(withBaselines.trials).toHaveLength(5);
      expect(searched(withBaselines)).toEqual(searched(without));
    },
  );

  it('queues them once: a resumed study keeps its baselines and counts only searched trials', async () => {
    const storage = new MemoryStorage();
    await run(storage, irisStudy({ trials: 2 }), new RandomSampler());
    const resumed = await run(storage, irisStudy({ trials: 3 }), new RandomSampler());
    expect(resumed.resumed?.trials).toBe(2);
    const trials = await storage.listTrials(resumed.id);
    expect(trials.filter(isBaseline).map((t) => t.number)).toEqual([0, 1]);
    expect(trials.filter((t) => !isBaseline(t)).map((t) => t.number)).toEqual([2, 3, 4]);
    expect(resumed.trialBudget).toBe(5);
  });
});

describe('baselines with several processes', () => {
  it('are queued once when two processes open a new study together', async () => {
    const storage = new MemoryStorage();
    const config = irisStudy({ trials: 2 });
    const [a, b] = await Promise.all([Study.open(storage, config), Study.open(storage, config)]);
    expect(a.id).toBe(b.id);
    const trials = await storage.listTrials(a.id);
    expect(trials.map((t) => [t.number, baselineOf(t), t.state])).toEqual([
      [0, 'majority', 'waiting'],
      [1, 'logistic', 'waiting'],
    ]);
  });
});

describe('plannedBaselines', () => {
  const base = { objective: { metric: 'val_mse', direction: 'minimize' }, space: { model: 'mlp' } };
  const diabetes = { source: repoPath('datasets/diabetes.csv'), target: 'progression', task: 'regression' };

  it('plans the mean and ridge by leave-one-out for regression', () => {
    expect(plannedBaselines(parseStudy({ name: 'd', data: diabetes, ...base }))).toEqual([
      { name: 'mean', params: { model: 'mean' } },
      { name: 'ridge', params: { model: 'ridge', alpha: 'auto' } },
    ]);
  });

  it('reads a series at least one detected period back', () => {
    const config = parseStudy({
      name: 'air',
      data: {
        source: repoPath('datasets/air_passengers.csv'),
        target: 'passengers',
        task: 'regression',
        input: { kind: 'series', lookback: 6, horizon: 12 },
      },
      ...base,
      objective: { metric: 'val_mape', direction: 'minimize' },
    });
    expect(plannedBaselines(config)).toEqual([
      { name: 'seasonalNaive', params: { model: 'seasonalNaive', period: 12, lookback: 12 } },
      { name: 'ridge', params: { model: 'ridge', alpha: 'auto', lookback: 12 } },
    ]);
  });

  it('plans none when turned off or when the objective is not a validation metric, and no linear model on token ids', () => {
    expect(plannedBaselines(parseStudy({ name: 'd', data: diabetes, ...base, search: { baselines: false } }))).toEqual([]);
    expect(
      plannedBaselines(parseStudy({ name: 'd', data: diabetes, ...base, objective: { metric: 'loss', direction: 'minimize' } })),
    ).toEqual([]);
    const text = parseStudy({
      name: 't',
      data: {
        source: repoPath('datasets/spam_assassin.jsonl'),
        target: 'label',
        task: 'classification',
        input: { kind: 'text', representation: 'tokens' },
      },
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      space: { model: 'rnn' },
    });
    expect(plannedBaselines(text).map((b) => b.name)).toEqual(['majority']);
  });
});
