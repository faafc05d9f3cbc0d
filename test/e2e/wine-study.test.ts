import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineOf, isBaseline } from '../../src/core/annotations.js';
import { autotune, openStorage } from '../../src/index.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

describe('end to end: the wine study file in a worker pool with SQLite', () => {
  const dir = useTempDir();

  it('reaches validation accuracy ≥ 0.95 and stores every epoch of every trial', async () => {
    const file = join(dir(), 'wine.db');
    const result = await autotune(repoPath('search-spaces/wine.json'), { storage: file });
    expect(result.study).toMatchObject({ name: 'wine-mlp', state: 'complete', stopReason: 'trials' });
    // search.trials searched trials, and the two baselines besides them.
    expect(result.trials).toHaveLength(14);
    expect(result.best.value).toBeGreaterThanOrEqual(0.95);
    expect(result.best.metrics.test_accuracy).toBeGreaterThanOrEqual(0.85);

    // Everything above must also be in the database, as another process would read it.
    const storage = await openStorage(file);
    const study = await storage.findStudy('wine-mlp');
    // The data-quality report is profiled once and stored with the study.
    expect(study?.systemAttrs.data_quality).toMatchObject({
      rows: 178,
      duplicateRows: 0,
      classBalance: { class_0: 59, class_1: 71, class_2: 48 },
    });
    const all = await storage.listTrials(study!.id);
    expect(all).toHaveLength(14);
    const baselines = all.filter(isBaseline);
    expect(baselines.map((t) => [t.number, baselineOf(t), t.state, t.lastStep])).toEqual([
      [0, 'majority', 'complete', 1],
      [1, 'logistic', 'complete', 1],
    ]);
    expect(result.best.value).toBeGreaterThanOrEqual(baselines[1]!.values![0] as number);
    const trials = all.filter((t) => !isBaseline(t));
    expect(trials).toHaveLength(12);
    for (const trial of trials) {
      expect(trial.state).toBe('complete');
      expect(trial.backend).toMatch(/^(tensorflow|wasm|cpu)$/);
      const steps = await storage.listSteps(trial.id);
      expect(steps.map((s) => s.step)).toEqual([...Array(40).keys()].map((i) => i + 1));
      expect(Object.keys(steps[0]!.metrics).sort()).toEqual([
        'accuracy',
        'grad_norm',
        'learning_rate',
        'loss',
        'samples_per_second',
        'val_accuracy',
        'val_balanced_accuracy',
        'val_f1',
        'val_loss',
        'val_precision',
        'val_recall',
      ]);
      // The test split's confusion matrix is stored with the trial: 27 rows over 3 cultivars.
      const confusion = trial.systemAttrs.test_confusion as number[][];
      expect(confusion.flat().reduce((s, v) => s + v, 0)).toBe(27);
      expect(trial.systemAttrs.labels).toEqual(['class_0', 'class_1', 'class_2']);
      // Recorded every epoch; its size depends on the machine and its load, so only its presence is asserted here.
      expect(steps.every((s) => Number.isFinite(s.metrics.samples_per_second) && (s.metrics.samples_per_second as number) > 0)).toBe(true);
      expect(trial.values?.[0]).toBe(Math.max(...steps.map((s) => s.metrics.val_accuracy as number)));
    }
    await storage.close();
  });
});
