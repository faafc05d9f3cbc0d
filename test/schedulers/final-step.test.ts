import { describe, expect, it } from 'vitest';
import { Study } from '../../src/controller/study.js';
import type { FlatParams, TrialRecord } from '../../src/core/types.js';
import type { Sampler } from '../../src/samplers/index.js';
import type { Decision } from '../../src/schedulers/index.js';
import { parseStudy } from '../../src/space/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { repoPath } from '../helpers/tmp.js';

const RIDGE: FlatParams = { model: 'ridge', 'model.ridge.alpha': 1 };
const MLP: FlatParams = { model: 'mlp', 'model.mlp.units': 32 };

/**
 * Hands out the listed families in order, so each test decides which runs when; each trial gets its own α or
 * width, since a repeated configuration would be resampled (the duplicate rule).
 */
function scripted(configs: readonly FlatParams[]): Sampler {
  return {
    name: 'scripted',
    suggest: ({ trialNumber: n }) => {
      const config = configs[n];
      if (!config) return null;
      return config.model === 'ridge' ? { ...config, 'model.ridge.alpha': 1 + n / 10 } : { ...config, 'model.mlp.units': 8 + n };
    },
  };
}

/** A diabetes regression study over a ridge fit (one step) and an MLP (training.epochs = 40), maximising R². */
async function mixedStudy(scheduler: unknown, configs: readonly FlatParams[]): Promise<Study> {
  const config = parseStudy({
    name: 'ridge-and-mlp',
    data: { source: repoPath('datasets/diabetes.csv'), target: 'progression', task: 'regression' },
    objective: { metric: 'val_r2', direction: 'maximize' },
    // Scripted trials only: `ask` would hand out the baselines first.
    search: { scheduler, trials: configs.length, baselines: false },
    training: { epochs: 40 },
    space: {
      model: { choice: { ridge: { alpha: { float: [1e-3, 10], log: true } }, mlp: { units: { int: [8, 64] } } } },
    },
  });
  return Study.open(new MemoryStorage(), config, { sampler: scripted(configs) });
}

/** Runs the next trial through its curve (value at step 1, 2, …), stopping where the scheduler says. */
async function runCurve(study: Study, curve: readonly number[]): Promise<{ trial: TrialRecord; decisions: Decision[] }> {
  const { trial } = (await study.ask())!;
  const decisions: Decision[] = [];
  for (const [i, value] of curve.entries()) {
    const decision = await study.report(trial, i + 1, { val_r2: value });
    decisions.push(decision);
    if (decision.type === 'stop') {
      return {
        trial: await study.tell(trial, {
          type: 'pruned',
          step: i + 1,
          value: Math.max(...curve.slice(0, i + 1)),
          metrics: {},
          backend: 'cpu',
        }),
        decisions,
      };
    }
  }
  return { trial: await study.tell(trial, Math.max(...curve)), decisions };
}

/** An MLP learning curve over 40 epochs that rises from `start` towards `end`. */
const rising = (start: number, end: number) => Array.from({ length: 40 }, (_, i) => end - (end - start) * Math.exp(-i / 8));

describe('schedulers compare a trial only with trials that could go on past the step', () => {
  it("stores each trial's last step: 1 for a ridge fit, its epochs for a network", async () => {
    const study = await mixedStudy('fifo', [RIDGE, MLP]);
    const ridge = (await study.ask())!.trial;
    const mlp = (await study.ask())!.trial;
    expect(ridge.systemAttrs.max_step).toBe(1);
    expect(mlp.systemAttrs.max_step).toBe(40);
  });

  it('median: ridge trials are never pruned at their only step, and their step-1 values prune no MLP', async () => {
    const ridgeValues = [0.46, 0.48, 0.44, 0.47, 0.45, 0.41, 0.43];
    const study = await mixedStudy({ type: 'median', startupTrials: 5 }, [...ridgeValues.map(() => RIDGE), MLP, MLP]);
    for (const value of ridgeValues) {
      const { trial, decisions } = await runCurve(study, [value]);
      expect(decisions).toEqual([{ type: 'continue' }]);
      expect(trial.state).toBe('complete');
    }
    // Epoch 1 of a network is far below a closed-form fit; that says nothing of epoch 40.
    for (const curve of [rising(0.05, 0.5), rising(0.02, 0.52)]) {
      const { trial } = await runCurve(study, curve);
      expect(trial.state).toBe('complete');
    }
  });

  it('median with warmupSteps 30: short trials filling startupTrials no longer let one complete MLP set the bar', async () => {
    // Five one-step ridge fits count as complete trials; only one MLP reached step 31. Its value was "the median",
    // so a trial that would have finished second best (0.926) was pruned at step 31.
    const study = await mixedStudy({ type: 'median', startupTrials: 5, warmupSteps: 30 }, [RIDGE, RIDGE, RIDGE, RIDGE, RIDGE, MLP, MLP]);
    for (const value of [0.45, 0.46, 0.44, 0.47, 0.43]) await runCurve(study, [value]);
    const first = await runCurve(study, rising(0.1, 0.95));
    expect(first.trial.state).toBe('complete');
    const second = await runCurve(study, rising(0.1, 0.926));
    expect(second.decisions.every((d) => d.type === 'continue')).toBe(true);
    expect(second.trial.state).toBe('complete');
    expect(second.trial.values?.[0]).toBeCloseTo(rising(0.1, 0.926)[39] as number, 6);
  });

  it('median still prunes among comparable trials: five complete MLPs set the median at each step', async () => {
    const study = await mixedStudy({ type: 'median', startupTrials: 5, warmupSteps: 0 }, [MLP, MLP, MLP, MLP, MLP, MLP]);
    for (const end of [0.5, 0.52, 0.48, 0.51, 0.49]) await runCurve(study, rising(0.2, end));
    const weak = await runCurve(study, rising(0.05, 0.2));
    expect(weak.trial.state).toBe('pruned');
    expect(weak.trial.lastStep).toBe(1);
  });

  it('median by default leaves a network its first tenth of epochs: a slow start is judged at epoch 5 of 40', async () => {
    const study = await mixedStudy('median', [MLP, MLP, MLP, MLP, MLP, MLP, MLP]);
    for (const end of [0.5, 0.52, 0.48, 0.51, 0.49]) await runCurve(study, rising(0.2, end));
    // Below the median at epochs 1-3, above it from epoch 4: a trial the first epochs would have misjudged.
    const slowStart = await runCurve(study, [0.05, 0.1, 0.2, ...rising(0.45, 0.6).slice(3)]);
    expect(slowStart.trial.state).toBe('complete');
    const weak = await runCurve(study, rising(0.05, 0.2));
    expect(weak.trial.state).toBe('pruned');
    expect(weak.trial.lastStep).toBe(5);
  });

  it('asha: a ridge fit finishes at rung 1 instead of competing there, and an MLP is judged among MLPs', async () => {
    const asha = { type: 'asha', minEpochs: 1, maxEpochs: 9, eta: 3 };
    const study = await mixedStudy(asha, [RIDGE, RIDGE, RIDGE, MLP, MLP, MLP, MLP]);
    for (const value of [0.47, 0.45, 0.44]) {
      const { trial } = await runCurve(study, [value]);
      expect(trial.state).toBe('complete');
    }
    const nine = (start: number, end: number) => rising(start, end).slice(0, 9);
    const firstMlp = await runCurve(study, nine(0.1, 0.5));
    expect(firstMlp.trial.state).toBe('complete');
    expect(firstMlp.trial.systemAttrs.rung).toBe(2);
    // Among MLPs the rung rule still applies: the weakest of four at rung 1 stops there.
    await runCurve(study, nine(0.12, 0.5));
    await runCurve(study, nine(0.11, 0.5));
    const weakest = await runCurve(study, nine(0.01, 0.2));
    expect(weakest.trial.state).toBe('pruned');
    expect(weakest.trial.lastStep).toBe(1);
  });
});
