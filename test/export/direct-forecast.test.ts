import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../src/data/read.js';
import { autotune, exportStudy, loadModel, openStorage } from '../../src/index.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const AIR = repoPath('datasets/air_passengers.csv');
const passengers = readTable(AIR).rows.map((r) => Number(r[1]));

/** A one-trial ridge study on air passengers with `input`, exported as its best model. */
async function exported(dir: string, name: string, input: { lookback: number; horizon: number; strategy?: 'recursive' | 'direct' }) {
  const storage = join(dir, `${name}.db`);
  const result = await autotune(
    {
      name,
      data: { source: AIR, target: 'passengers', task: 'regression', targetTransform: 'log', input: { kind: 'series', ...input } },
      metric: 'val_mape',
      trials: 1,
      seed: 1,
      runner: 'inline',
      space: { model: 'ridge', alpha: 1e-3 },
    },
    { storage },
  );
  const out = join(dir, name);
  const opened = await openStorage(storage);
  await exportStudy(opened, { study: name, what: 'best', out });
  await opened.close();
  return { model: await loadModel(out), metrics: result.best.metrics };
}

const mape = (forecast: readonly number[], truth: readonly number[]) =>
  (100 * forecast.reduce((s, f, i) => s + Math.abs(f - (truth[i] as number)) / (truth[i] as number), 0)) / forecast.length;

describe('an exported direct forecaster', () => {
  const dir = useTempDir();

  it('forecasts its horizon from one cut-off exactly as training scored its test window', async () => {
    const { model, metrics } = await exported(dir(), 'air-direct', { lookback: 24, horizon: 12, strategy: 'direct' });
    const history = passengers.slice(0, 132);
    const [twelve] = model.forecast([history], 12);
    expect(twelve).toHaveLength(12);
    expect(mape(twelve!, passengers.slice(132))).toBeCloseTo(metrics.test_mape as number, 3);
    // predict gives the next value: the first step of the direct forecast.
    expect(model.predict([history])[0]).toBeCloseTo(twelve![0]!, 6);
    // Past its horizon, the next call reads the forecasts: the first 12 steps do not change.
    const [fifteen] = model.forecast([history], 15);
    expect(fifteen!.slice(0, 12)).toEqual(twelve);
    expect(fifteen).toHaveLength(15);
    model.dispose();
  });

  it('with a horizon of one forecasts what the recursive model forecasts', async () => {
    const direct = await exported(dir(), 'air-direct-1', { lookback: 12, horizon: 1, strategy: 'direct' });
    const recursive = await exported(dir(), 'air-recursive-1', { lookback: 12, horizon: 1 });
    const history = passengers.slice(0, 120);
    const [a] = direct.model.forecast([history], 6);
    const [b] = recursive.model.forecast([history], 6);
    a!.forEach((v, i) => expect(v).toBeCloseTo(b![i]!, 4));
    expect(direct.metrics.val_mape).toBeCloseTo(recursive.metrics.val_mape as number, 6);
    direct.model.dispose();
    recursive.model.dispose();
  });
});
