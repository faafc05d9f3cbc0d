import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../src/storage/index.js';
import { trialsCsv, trialsJson, trialsTable } from '../../src/storage/trials-table.js';

/** A study whose trials hold every awkward cell: a reason with a comma, quotes and a line break, a branch param. */
async function awkwardStudy(directions: ('minimize' | 'maximize')[]) {
  const storage = new MemoryStorage();
  const study = await storage.createStudy({ name: 'awkward', directions, config: {} });
  const values = directions.map((_, i) => 0.25 + i);
  const first = await storage.createTrial(study.id, {
    state: 'running',
    params: { model: 'mlp', 'model.mlp.units': 64, activation: 'relu, then "tanh"' },
    distributions: {},
    seed: 1,
  });
  await storage.recordStep(first.id, 3, { val_loss: 0.5 });
  await storage.finishTrial(first.id, { state: 'complete', values, metrics: { val_loss: 0.5, test_loss: 0.625 }, backend: 'wasm' });
  const second = await storage.createTrial(study.id, { state: 'running', params: { model: 'linear' }, distributions: {}, seed: 2 });
  await storage.finishTrial(second.id, { state: 'failed', reason: 'objective threw: bad input, "x" was\nmissing', backend: null });
  return { storage, study: (await storage.findStudy('awkward'))!, trials: await storage.listTrials(study.id) };
}

describe('the trials table', () => {
  it('writes RFC 4180 CSV that a CSV reader turns back into the stored values, one column per param and metric', async () => {
    const { study, trials } = await awkwardStudy(['minimize']);
    const csv = trialsCsv(trialsTable(study, trials));
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parse(csv, { relax_column_count: false }) as string[][];
    expect(header).toEqual([
      'number',
      'state',
      'value',
      'started_at',
      'finished_at',
      'duration_seconds',
      'last_step',
      'backend',
      'reason',
      'params.model',
      'params.model.mlp.units',
      'params.activation',
      'metrics.test_loss',
      'metrics.val_loss',
    ]);
    const byName = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
    expect(byName[0]).toMatchObject({
      number: '0',
      state: 'complete',
      value: '0.25',
      last_step: '3',
      backend: 'wasm',
      reason: '',
      'params.activation': 'relu, then "tanh"',
      'params.model.mlp.units': '64',
      'metrics.test_loss': '0.625',
    });
    expect(byName[0]!.started_at).toBe(new Date(trials[0]!.startedAt!).toISOString());
    expect(Number(byName[0]!.duration_seconds)).toBe((trials[0]!.finishedAt! - trials[0]!.startedAt!) / 1000);
    expect(byName[1]).toMatchObject({
      state: 'failed',
      value: '',
      reason: 'objective threw: bad input, "x" was\nmissing',
      'params.model': 'linear',
      'params.model.mlp.units': '',
      'metrics.val_loss': '',
    });
  });

  it('names one value column per objective, and JSON rows hold the same columns with null for missing cells', async () => {
    const { study, trials } = await awkwardStudy(['minimize', 'maximize']);
    const table = trialsTable(study, trials);
    expect(table.columns.slice(0, 4)).toEqual(['number', 'state', 'values.0', 'values.1']);
    const rows = JSON.parse(trialsJson(table)) as Record<string, unknown>[];
    expect(rows.map((r) => [r['values.0'], r['values.1']])).toEqual([
      [0.25, 1.25],
      [null, null],
    ]);
    expect(Object.keys(rows[1]!)).toEqual(table.columns);
    expect(rows[1]!['params.model.mlp.units']).toBeNull();
    expect(rows[1]!.reason).toBe('objective threw: bad input, "x" was\nmissing');
  });
});
