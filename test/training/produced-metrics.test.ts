import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/core/types.js';
import { parseStudy } from '../../src/space/index.js';
import { epochMetricNames } from '../../src/training/produced-metrics.js';
import type { TrainTask } from '../../src/training/protocol.js';
import { trainTrial } from '../../src/training/train-trial.js';
import { repoPath } from '../helpers/tmp.js';

/** The metric names of every epoch one trial reports, trained for real. */
async function reportedNames(
  dataset: string,
  target: string,
  task: 'classification' | 'regression',
  params: TrainTask['params'],
): Promise<string[]> {
  const config = parseStudy({
    name: 'm',
    data: { source: repoPath('datasets', dataset), target, task },
    objective: { metric: 'val_loss', direction: 'minimize' },
    training: { epochs: 2 },
    space: { loss: 'auto' },
  });
  const steps: Metrics[] = [];
  const outcome = await trainTrial(
    {
      kind: 'train',
      trialNumber: 0,
      seed: 5,
      params,
      data: config.data!,
      dataSeed: 0,
      training: config.training,
      objective: config.objective,
    },
    { report: async (_step, metrics) => (steps.push(metrics), { stop: false }) },
  );
  expect(outcome.type).toBe('complete');
  const names = new Set(steps.flatMap((m) => Object.keys(m)));
  return [...names].sort();
}

describe('epochMetricNames lists what training reports', () => {
  it('for an MLP on three classes (no AUC)', async () => {
    const names = await reportedNames('iris.csv', 'species', 'classification', { layers: 1, units: 8 });
    expect(names).toEqual(epochMetricNames('classification', 3, 'gradient').sort());
    expect(names).not.toContain('val_auc');
  });

  it('for an MLP on two classes (with AUC)', async () => {
    const names = await reportedNames('breast_cancer_wisconsin.csv', 'diagnosis', 'classification', { layers: 1, units: 8 });
    expect(names).toEqual(epochMetricNames('classification', 2, 'gradient').sort());
  });

  it('for regression by gradient steps and by ridge in closed form', async () => {
    expect(await reportedNames('diabetes.csv', 'progression', 'regression', { layers: 1, units: 8 })).toEqual(
      epochMetricNames('regression', 0, 'gradient').sort(),
    );
    expect(await reportedNames('diabetes.csv', 'progression', 'regression', { model: 'ridge' })).toEqual(
      epochMetricNames('regression', 0, 'closed-form').sort(),
    );
  });
});
