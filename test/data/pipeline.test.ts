import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/core/types.js';
import { encodeRow, prepareDataset, readCsv } from '../../src/data/index.js';
import { parseStudy } from '../../src/space/index.js';
import type { Reporter, TrainTask } from '../../src/training/protocol.js';
import { trainTrial } from '../../src/training/train-trial.js';
import { repoPath } from '../helpers/tmp.js';

const quiet: Reporter = { report: async (_s: number, _m: Metrics) => ({ stop: false }) };

function task(study: string, params: TrainTask['params']): TrainTask {
  const { data, training, objective } = parseStudy({
    ...JSON.parse(readFileSync(repoPath('search-spaces', study), 'utf8')),
    $schema: undefined,
  });
  return {
    kind: 'train',
    trialNumber: 0,
    seed: 3,
    params,
    data: { ...data!, source: repoPath('datasets', data!.source.split('/').at(-1) as string) },
    dataSeed: 0,
    training,
    objective,
  };
}

describe('the tabular pipeline on messy real data', () => {
  it('penguins: imputation and one-hot let a small network classify ≥ 0.95 of the test split', async () => {
    const outcome = await trainTrial(task('penguins.json', { layers: 1, units: 16, learningRate: 0.01, batchSize: 16, epochs: 40 }), quiet);
    expect(outcome.type).toBe('complete');
    if (outcome.type === 'complete') expect(outcome.metrics.test_accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('airquality: a log-transformed target trains, and metrics come back in ppb', async () => {
    const outcome = await trainTrial(
      task('airquality.json', { layers: 1, units: 8, learningRate: 0.01, batchSize: 16, l2: 0.001, epochs: 60 }),
      quiet,
    );
    expect(outcome.type).toBe('complete');
    if (outcome.type !== 'complete') return;
    // Ozone ranges 1..168 ppb with sd ≈ 33: a useful model errs by well under the sd, in ppb, not log units.
    expect(outcome.metrics.test_mae).toBeGreaterThan(5);
    expect(outcome.metrics.test_mae).toBeLessThan(25);
    expect(outcome.metrics.test_r2).toBeGreaterThan(0.4);
  });

  it('encodes held-out rows exactly as new data would be encoded (fitted on training rows only)', () => {
    const table = readCsv(repoPath('datasets/penguins.csv'));
    const config = parseStudy({
      name: 'p',
      data: { source: 'x', target: 'species', task: 'classification' },
      objective: { direction: 'minimize', metric: 'val_loss' },
      space: { loss: 'auto' },
    });
    const prepared = prepareDataset(table, config.data!, 0);
    const columns = prepared.encoders.map((e) => table.columns.indexOf(e.column));
    // Row 3 of the file (line 5) has every measurement missing: imputed to the training medians, flagged missing.
    const raw = new Float64Array(prepared.nFeatures);
    encodeRow(prepared.encoders, table.rows[3] as string[], columns, raw, 0, `${table.file}: line 5`);
    const bill = prepared.featureNames.indexOf('bill_length_mm');
    const encoder = prepared.encoders.find((e) => e.column === 'bill_length_mm');
    expect(raw[bill]).toBe(encoder?.kind === 'numeric' ? encoder.fill : Number.NaN);
    expect(raw[prepared.featureNames.indexOf('bill_length_mm:missing')]).toBe(1);
    // An unseen category encodes as all zeros rather than failing.
    const unseen = [...(table.rows[0] as string[])];
    unseen[table.columns.indexOf('island')] = 'Anvers';
    encodeRow(prepared.encoders, unseen, columns, raw, 0, 'new rows: line 1');
    expect(['island=Biscoe', 'island=Dream', 'island=Torgersen'].map((n) => raw[prepared.featureNames.indexOf(n)])).toEqual([0, 0, 0]);
  });
});
