import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Study } from '../../src/controller/study.js';
import { rankCompleted } from '../../src/core/rank.js';
import type { Direction, TrialRecord } from '../../src/core/types.js';
import { rankCandidates } from '../../src/ensemble/score.js';
import type { EnsembleProblem } from '../../src/ensemble/types.js';
import { splitGoodBad } from '../../src/samplers/tpe/split.js';
import { promotable } from '../../src/schedulers/rungs.js';
import { bestSoFar } from '../../src/schedulers/scheduler.js';
import { loadBestTrial } from '../../src/server/analysis/best-trial.js';
import { studyRow } from '../../src/server/views.js';
import { parseStudy } from '../../src/space/index.js';
import { PostgresStorage, type Storage } from '../../src/storage/index.js';
import type { Reporter } from '../../src/training/protocol.js';
import { trainTrial } from '../../src/training/train-trial.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { repoPath } from '../helpers/tmp.js';

// One study, stored in PostgreSQL and read back, is the fixture every caller of core/rank.ts ranks: values that
// tie (trials 2 and 4, 0 and 6), both infinities, a NaN (the controller fails that trial), a pruned trial whose
// value would beat them all, and trials that finish out of number order (4 before 2, 6 before 0).
const { POSITIVE_INFINITY: INF, NEGATIVE_INFINITY: NEG_INF, NaN } = Number;
const VALUES = [0.9, NEG_INF, 0.2, INF, 0.2, NaN, 0.9, null, 0.5] as const;
const PRUNED = 7;
const FINISH_ORDER = [6, 4, 1, 3, 5, 7, 8, 0, 2];
const EXPECTED: Record<Direction, readonly number[]> = { minimize: [2, 4, 8, 0, 6], maximize: [0, 6, 8, 2, 4] };

const database = usePostgresDatabases();

interface Fixture {
  readonly storage: Storage;
  readonly study: Study;
  readonly trials: readonly TrialRecord[];
}

async function runFixture(direction: Direction): Promise<Fixture> {
  const storage = await PostgresStorage.open(await database());
  const config = parseStudy(
    { name: `rank-${direction}`, objective: { direction }, space: { x: { float: [0, 1] } }, search: { seed: 3, trials: VALUES.length } },
    undefined,
    { inlineObjective: true },
  );
  const study = await Study.open(storage, config);
  const asked: TrialRecord[] = [];
  for (const _ of VALUES) asked.push((await study.ask())!.trial);
  for (const n of FINISH_ORDER) {
    const trial = asked[n] as TrialRecord;
    const beyond = direction === 'minimize' ? -5 : 5;
    await study.tell(
      trial,
      n === PRUNED ? { type: 'pruned', step: 3, value: beyond, metrics: {}, backend: 'inline' } : (VALUES[n] as number),
    );
  }
  return { storage, study, trials: await storage.listTrials(study.id) };
}

/** Each caller's own way of naming the study's best trial. */
const BEST_BY_CALLER: Record<string, (f: Fixture, direction: Direction) => Promise<number | undefined> | number | undefined> = {
  'controller: Study.best, kept as trials finish': (f) => f.study.best?.number,
  'controller: a second process rebuilding its view from the change feed': async (f) =>
    (await Study.open(f.storage, f.study.config)).best?.number,
  'controller: Study.rankedTrials': (f) => f.study.rankedTrials()[0]?.number,
  'dashboard: best trial as PostgreSQL sorts it (studies list, study page)': async (f) =>
    (await loadBestTrial(f.storage, f.study.record))?.number,
  'dashboard: studies-list row': async (f) => {
    const summary = (await f.storage.listStudies()).find((s) => s.id === f.study.id)!;
    return studyRow(summary, f.trials).best?.number;
  },
  'CLI listing, export and ensembles: rankCompleted': (f, direction) => rankCompleted(f.trials, direction)[0]?.number,
  'ensemble: member ordering by validation score': (f, direction) =>
    rankCandidates(candidatesOf(f.trials), problem(direction))[0]?.candidate.id,
  'scheduler: the last trial promotable at a rung, trials reporting in number order': (f, direction) => {
    const reported = f.trials.filter((t) => t.state === 'complete');
    let best: number | undefined;
    reported.forEach((t, i) => {
      const sofar = reported.slice(0, i + 1).map((r) => r.values?.[0] as number);
      if (promotable(t.values?.[0] as number, sofar, 1000, direction)) best = t.number;
    });
    return best;
  },
  'TPE: the first of the good side of the split': (f, direction) =>
    splitGoodBad(f.trials, direction, { constantLiar: false, gamma: () => 1 }).below[0]?.number,
};

/** Complete trials as ensemble candidates whose validation MAE (one row, target 0) is the trial's value. */
function candidatesOf(trials: readonly TrialRecord[]) {
  return trials.filter((t) => t.state === 'complete').map((t) => ({ id: t.number, validation: Float32Array.of(t.values?.[0] as number) }));
}

function problem(direction: Direction): EnsembleProblem {
  return { task: 'regression', classes: 1, targets: Float32Array.of(0), metric: 'val_mae', direction };
}

describe.each(['minimize', 'maximize'] as const)('every caller of core/rank.ts agrees, %s', (direction) => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await runFixture(direction);
  });
  afterAll(() => fixture?.storage.close());

  it('the fixture is what the controller stored: NaN failed, infinities complete, one trial pruned', () => {
    const states = fixture.trials.map((t) => t.state);
    expect(states).toEqual(['complete', 'complete', 'complete', 'complete', 'complete', 'failed', 'complete', 'pruned', 'complete']);
    expect(fixture.trials[1]?.values).toEqual([NEG_INF]);
    expect(fixture.trials[3]?.values).toEqual([INF]);
  });

  it.each(Object.keys(BEST_BY_CALLER))('best trial: %s', async (caller) => {
    expect(await BEST_BY_CALLER[caller]!(fixture, direction)).toBe(EXPECTED[direction][0]);
  });

  it('rankings: the controller, storage order, ensemble candidates and the TPE split list the same trials', async () => {
    const expected = EXPECTED[direction];
    expect(fixture.study.rankedTrials().map((t) => t.number)).toEqual(expected);
    const page = await fixture.storage.pageTrials(fixture.study.id, {
      states: ['complete'],
      sort: 'value',
      order: direction === 'minimize' ? 'asc' : 'desc',
      offset: 0,
      limit: expected.length,
    });
    expect(page.trials.map((t) => t.number)).toEqual(expected);
    // The infinities (and −Inf's MAE, +Inf) come after every ranked candidate.
    expect(
      rankCandidates(candidatesOf(fixture.trials), problem(direction))
        .map((r) => r.candidate.id)
        .slice(0, expected.length),
    ).toEqual(expected);
    const { below } = splitGoodBad(fixture.trials, direction, { constantLiar: false, gamma: () => expected.length });
    expect(below.map((t) => t.number).sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
  });

  it('the scheduler: a trial that reported the complete trials’ values as its steps has the best one as its best so far', () => {
    const steps = new Map(fixture.trials.filter((t) => t.state === 'complete').map((t) => [t.number, t.values?.[0] as number]));
    const best = fixture.trials[EXPECTED[direction][0] as number]?.values?.[0];
    expect(bestSoFar(steps, Number.POSITIVE_INFINITY, direction)).toBe(best);
  });
});

describe.each(['minimize', 'maximize'] as const)("fit's best epoch, %s, by the same rule", (direction) => {
  // The objective is the learning rate each epoch reports, so the epoch values are known exactly: a step
  // schedule gives 0.04, 0.04, 0.02, 0.02, 0.01, 0.01 — a tie at the top and one at the bottom.
  it('picks the better epoch, and of equal ones the earlier', async () => {
    const config = parseStudy({
      name: 'fit',
      data: { source: repoPath('datasets/diabetes.csv'), target: 'progression', task: 'regression' },
      objective: { metric: 'learning_rate', direction },
      training: { epochs: 6 },
      space: { loss: 'auto' },
    });
    const reporter: Reporter = { report: async () => ({ stop: false }) };
    const outcome = await trainTrial(
      {
        kind: 'train',
        trialNumber: 0,
        seed: 5,
        params: { layers: 1, units: 4, learningRate: 0.04, schedule: { type: 'step', every: 2, factor: 0.5 } },
        data: config.data!,
        dataSeed: 1,
        training: config.training,
        objective: config.objective,
      },
      reporter,
    );
    expect(outcome.type).toBe('complete');
    if (outcome.type === 'complete') expect(outcome.metrics.best_epoch).toBe(direction === 'minimize' ? 5 : 1);
  });
});
