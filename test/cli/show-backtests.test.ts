import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/index.js';
import { runCli } from '../helpers/cli.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

describe('a series study ranked on backtests, from the command line', () => {
  const dir = useTempDir();

  it('run and show print each trial’s mean over its windows with their spread', async () => {
    const study = join(dir(), 'air.json');
    const db = join(dir(), 'air.db');
    writeFileSync(
      study,
      JSON.stringify({
        name: 'air-backtests',
        data: {
          source: repoPath('datasets/air_passengers.csv'),
          target: 'passengers',
          task: 'regression',
          targetTransform: 'log',
          input: { kind: 'series', lookback: 12, horizon: 12 },
          split: { backtests: 4 },
        },
        objective: { metric: 'val_mape', direction: 'minimize' },
        search: { sampler: 'random', trials: 2, parallelism: 1, seed: 1 },
        space: { model: 'ridge', alpha: { float: [1e-4, 1], log: true } },
      }),
    );
    const ran = runCli(['run', study, '--storage', db, '--quiet']);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/best: trial \d+, val_mape = \d+\.\d{4} ± \d+\.\d{4} \(mean ± std over 4 backtests\)/);

    const storage = await openStorage(db);
    const record = (await storage.findStudy('air-backtests'))!;
    const trials = await storage.listTrials(record.id);
    await storage.close();
    const shown = runCli(['show', 'air-backtests', '--storage', db]);
    expect(shown.code).toBe(0);
    for (const trial of trials) {
      const { backtest_mean: mean, backtest_std: std } = trial.metrics as Record<string, number>;
      expect(trial.values?.[0]).toBe(mean);
      expect(shown.stdout).toMatch(new RegExp(`^\\s+${trial.number}\\s+${mean!.toFixed(4)} ± ${std!.toFixed(4)}\\s`, 'm'));
    }
  });
});
