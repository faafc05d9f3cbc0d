import { isBaseline } from '../../src/core/annotations.js';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import * as tf from '@tensorflow/tfjs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { runSearch } from '../../src/controller/search.js';
import { Study } from '../../src/controller/study.js';
import { workerTaskBuilder } from '../../src/controller/tasks.js';
import { autotune } from '../../src/index.js';
import { parseStudy } from '../../src/space/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { ensureBackend } from '../../src/training/backend.js';
import { PiscinaRunner } from '../../src/training/piscina-runner.js';
import type { TrainTask } from '../../src/training/protocol.js';
import { trainTrial } from '../../src/training/train-trial.js';
import { TrialWatch } from '../../src/training/trial-watch.js';
import { repoPath } from '../helpers/tmp.js';

/** Forces a full garbage collection, which is what let a timeout signal combined with a study's signal vanish. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('search.trialTimeoutSeconds', () => {
  it('ends a slow RNN trial as timed out partway, by its own deadline, naming its epoch, and the study goes on', async () => {
    const abort = new AbortController(); // as `autotune run` passes one for Ctrl-C
    const result = await autotune(
      {
        name: 'slow-gru',
        data: {
          source: repoPath('datasets/air_passengers.csv'),
          target: 'passengers',
          task: 'regression',
          targetTransform: 'log',
          input: { kind: 'series', lookback: 12, horizon: 12 },
        },
        objective: { metric: 'val_mape', direction: 'minimize' },
        // Grid order follows the seed: with seed 1 the GRU is the first searched trial and the ridge models come after it.
        search: { sampler: 'grid', trials: 3, parallelism: 1, seed: 1, trialTimeoutSeconds: 5 },
        // Single-sample batches for 100 epochs: minutes of training, while each batch takes far less than the grace.
        training: { epochs: 100 },
        space: {
          model: { choice: { rnn: { cell: 'gru', units: 32, layers: 1 }, ridge: { alpha: { choice: [0.1, 1] } } } },
          batchSize: 1,
        },
      },
      { storage: ':memory:', signal: abort.signal, on: { trialStart: () => setImmediate(collectGarbage) } },
    );
    // The baselines run first; the grid numbers the searched trials from 0 all the same.
    const [gru, ...ridges] = result.trials.filter((t) => !isBaseline(t));
    expect(gru?.params.model).toBe('rnn');
    expect(gru).toMatchObject({ state: 'failed', failReason: expect.stringMatching(/^timed out after 5 s \(epoch \d+ of 100\)$/) });
    // Only a trial that ended itself reports the backend it trained on: the worker's own check stopped it.
    expect(gru?.backend).toMatch(/^(tensorflow|wasm|cpu)$/);
    // Stopped partway by its own deadline check: 100 epochs of single-sample batches take minutes, so a limit that
    // did not hold would leave the GRU running (and this test ending on its own timeout).
    expect(Number(/epoch (\d+) of 100/.exec(gru?.failReason ?? '')?.[1])).toBeLessThan(100);
    expect(ridges.map((t) => [t.params.model, t.state])).toEqual([
      ['ridge', 'complete'],
      ['ridge', 'complete'],
    ]);
    expect(result.study.state).toBe('complete');
  });

  it('terminates a worker that does not answer once the grace has passed, even under a study signal and a garbage collection', async () => {
    const config = parseStudy({
      name: 'hang',
      objective: { module: repoPath('test/fixtures/objectives/hangs-after-report.mjs'), direction: 'minimize' },
      search: { trials: 3, parallelism: 1, seed: 2, trialTimeoutSeconds: 1 },
      space: { x: { float: [-1, 1] } },
    });
    const study = await Study.open(new MemoryStorage(), config);
    study.events.on('trialStart', () => setImmediate(collectGarbage));
    const runner = new PiscinaRunner({ threads: 1 });
    const graceMs = 1_000;
    try {
      const summary = await runSearch(study, runner, {
        taskFor: workerTaskBuilder(config),
        signal: new AbortController().signal,
        timeoutGraceMs: graceMs,
      });
      expect(summary.reason).toBe('trials');
    } finally {
      await runner.close();
    }
    const [hung, ...rest] = study.trials;
    expect(hung).toMatchObject({ state: 'failed', failReason: 'timed out after 1 s (after step 1)' });
    // The pool has one thread and the hung trial never answers: the next two trials ran only because the watch
    // terminated that thread once the limit and the grace had passed.
    expect(rest.map((t) => t.state)).toEqual(['complete', 'complete']);
  });

  it('ends an objective that keeps reporting at its next report after the limit, in-process', async () => {
    let steps = 0;
    const result = await autotune({
      space: { x: { float: [-1, 1] } },
      objective: async ({ x }: { x: number }, ctx) => {
        if (ctx.trialNumber === 1) return x * x;
        // Never returns on its own: only a report that rejects ends it.
        for (;;) {
          await new Promise((resolve) => setImmediate(resolve));
          await ctx.report(++steps, x * x);
        }
      },
      direction: 'minimize',
      trials: 2,
      seed: 3,
      trialTimeoutSeconds: 0.5,
    });
    const [looping, quick] = result.trials;
    expect(looping).toMatchObject({ state: 'failed', failReason: `timed out after 0.5 s (after step ${steps})` });
    expect(quick?.state).toBe('complete');
  });
});

describe('the time limit, piece by piece', () => {
  it('fires under a study signal after a garbage collection, and names the epoch the trial had reached', async () => {
    const watch = new TrialWatch({
      onReport: async () => ({ stop: false }),
      signal: new AbortController().signal,
      timeoutMs: 50,
      timeoutGraceMs: 0,
    });
    watch.reporter.epoch?.(3, 10);
    collectGarbage();
    await once(watch.signal!, 'abort');
    expect(watch.reason()).toBe('timed out after 0.05 s (epoch 3 of 10)');
    watch.dispose();
  });

  it('ends training before the next batch once the deadline has passed, and releases every tensor', async () => {
    await ensureBackend('auto');
    const config = parseStudy({
      name: 'expired',
      data: { source: repoPath('datasets/wine.csv'), target: 'cultivar', task: 'classification' },
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      training: { epochs: 30 },
      space: { loss: 'auto' },
    });
    const task: TrainTask = {
      kind: 'train',
      trialNumber: 0,
      seed: 7,
      params: { layers: 1, units: 16 },
      data: config.data!,
      dataSeed: 0,
      training: config.training,
      objective: config.objective,
      timeLimit: { limitMs: 240_000, deadline: Date.now() - 1 },
    };
    const epochs: number[] = [];
    const before = tf.memory().numTensors;
    const outcome = await trainTrial(task, { report: async () => ({ stop: false }), epoch: (epoch) => epochs.push(epoch) });
    expect(outcome).toMatchObject({ type: 'failed', reason: 'timed out after 240 s (epoch 1 of 30)' });
    expect(epochs).toEqual([1]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
