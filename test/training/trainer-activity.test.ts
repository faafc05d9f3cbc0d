import { describe, expect, it } from 'vitest';
import { isBaseline } from '../../src/core/annotations.js';
import { loadStudyFile, type StudyConfig } from '../../src/space/index.js';
import type { TrainTask } from '../../src/training/protocol.js';
import { trainTrial } from '../../src/training/train-trial.js';
import { openStudy } from '../helpers/studies.js';
import { repoPath } from '../helpers/tmp.js';

const SILENT = { report: async () => ({ stop: false }) };

/** The first trial of a shipped study whose model is `model`, as the study hands it to the trainer (5 epochs). */
async function trialOf(file: string, model: string): Promise<{ config: StudyConfig; task: TrainTask }> {
  const { config } = loadStudyFile(repoPath('search-spaces', file));
  const study = await openStudy(config);
  for (let i = 0; i < 40; i++) {
    const asked = (await study.ask())!;
    // A sampled trial: the ridge autoregression baseline carries its own parameters, outside the space.
    if (asked.trial.params.model === model && !isBaseline(asked.trial)) {
      const training = { ...config.training, epochs: 5 };
      return {
        config,
        task: {
          kind: 'train',
          trialNumber: i,
          seed: asked.trial.seed,
          params: asked.params,
          data: config.data!,
          dataSeed: 0,
          training,
          objective: config.objective,
        },
      };
    }
    await study.tell(asked.trial, 1);
  }
  throw new Error(`no ${model} trial in 40`);
}

describe('trials without the parameters their model does not read', () => {
  it('a ridge trial of air-passengers-rnn holds only alpha and trains', async () => {
    const { task } = await trialOf('air-passengers-rnn.json', 'ridge');
    expect(Object.keys(task.params)).toEqual(['model']);
    const outcome = await trainTrial(task, SILENT);
    expect(outcome).toMatchObject({ type: 'complete', metrics: { epochs_trained: 1 } });
  });

  it('a linear trial of breast-cancer trains an MLP without hidden layers', async () => {
    const { task } = await trialOf('breast-cancer.json', 'linear');
    expect(Object.keys(task.params).sort()).toEqual(['batchSize', 'learningRate', 'model', 'optimizer']); // l2 is per hidden layer
    const linear = await trainTrial(task, SILENT);
    const noHidden = await trainTrial({ ...task, params: { ...task.params, model: { type: 'mlp', layers: 0 } } }, SILENT);
    expect(linear.type).toBe('complete');
    if (linear.type !== 'complete' || noHidden.type !== 'complete') throw new Error('a trial failed');
    expect(linear.metrics.parameters).toBe(noHidden.metrics.parameters);
    expect(linear.value).toBe(noHidden.value);
  });
});
