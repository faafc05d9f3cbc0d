import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { backtestCount, backtestWindows, largestBacktests, type SeriesLayout } from '../../src/data/backtests.js';
import { loadDataset } from '../../src/data/cache.js';
import { readTable } from '../../src/data/read.js';
import { parseStudy } from '../../src/space/index.js';
import { runCli } from '../helpers/cli.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const AIR = repoPath('datasets/air_passengers.csv');
const passengers = readTable(AIR).rows.map((r) => Number(r[1]));
const air = (lookback: number, horizon: number): SeriesLayout => ({
  values: passengers.length,
  lookback,
  horizon,
  test: horizon,
  targetsPerSample: 1,
});

function airStudy(input: Record<string, unknown>, split: Record<string, unknown> = {}) {
  return parseStudy({
    name: 'air',
    data: {
      source: AIR,
      target: 'passengers',
      task: 'regression',
      targetTransform: 'log',
      input: { kind: 'series', ...input },
      split,
    },
    objective: { metric: 'val_mape', direction: 'minimize' },
    space: { model: 'ridge', alpha: 1e-4 },
  });
}

describe('backtest windows', () => {
  it('lays k full horizons back to back, earliest first, the last ending where the test window starts', () => {
    expect(passengers).toHaveLength(144);
    const windows = backtestWindows(air(24, 24), 3);
    expect(windows).toEqual([
      { resample: 2, train: { from: 24, to: 48 }, validation: { from: 48, to: 72 } },
      { resample: 1, train: { from: 24, to: 72 }, validation: { from: 72, to: 96 } },
      { resample: 0, train: { from: 24, to: 96 }, validation: { from: 96, to: 120 } },
    ]);
    // Disjoint, contiguous, each a full horizon, and each trains only on what comes before its cut-off.
    windows.forEach((w, i) => {
      expect(w.validation.to - w.validation.from).toBe(24);
      expect(w.train.to).toBeLessThanOrEqual(w.validation.from);
      if (i > 0) expect(w.validation.from).toBe(windows[i - 1]!.validation.to);
    });
    expect(windows.at(-1)!.validation.to).toBe(144 - 24);
  });

  it('validates on the same values whatever the lookback: only the training start moves', () => {
    const short = backtestWindows(air(6, 12), 4);
    const long = backtestWindows(air(36, 12), 4);
    expect(short.map((w) => w.validation)).toEqual(long.map((w) => w.validation));
    expect(short.map((w) => w.validation.from)).toEqual([84, 96, 108, 120]);
    expect(short[0]!.train).toEqual({ from: 6, to: 84 });
    expect(long[0]!.train).toEqual({ from: 36, to: 84 });
  });

  it('keeps a direct sample’s whole horizon before the cut-off', () => {
    const direct = { ...air(24, 12), targetsPerSample: 12 };
    const [earliest] = backtestWindows(direct, 2);
    // The last training sample starts at 108 − 12 = 96 and predicts months 96…107, the values just before the window.
    expect(earliest).toEqual({ resample: 1, train: { from: 24, to: 97 }, validation: { from: 108, to: 120 } });
  });

  it('counts the windows that leave 10 training samples, and defaults to 3 or as many as fit', () => {
    expect(largestBacktests(air(24, 24))).toBe(3); // 4 would train on 0 samples
    expect(largestBacktests(air(12, 12))).toBe(9); // the 9th window starts at 24, leaving 12 samples; a 10th, none
    expect(largestBacktests(air(39, 24))).toBe(2); // 3 would leave 48 − 39 = 9
    expect(backtestCount(air(24, 24), undefined)).toBe(3);
    expect(backtestCount(air(39, 24), undefined)).toBe(2);
    expect(backtestCount(air(24, 24), 1)).toBe(1);
  });

  it('refuses more windows than fit in one line naming data.split.backtests and the largest count', () => {
    const refuse = () => backtestWindows(air(24, 24), 4, AIR);
    expect(refuse).toThrow(InputError);
    expect(refuse).toThrow(
      'data.split.backtests: 4 windows do not fit (144 values, lookback 24, horizon 24, test 24); at most 3 leave 10 training samples',
    );
  });
});

describe('backtests on the air-passengers series', () => {
  const tempDir = useTempDir();
  it('prepares each window with its own training prefix and statistics; resample 0 is the window next to the test', () => {
    const data = airStudy({ lookback: 24, horizon: 24 }).data!;
    const latest = loadDataset(data, 0);
    expect(latest.series?.backtests.map((w) => w.validation.from)).toEqual([48, 72, 96]);
    const months = (z: Float32Array, s = latest.targetScaler!) => Array.from(z, (v) => Math.round(Math.expm1(v * s.std + s.mean)));
    const [w0, w1, w2] = [0, 1, 2].map((r) => loadDataset(data, 0, r));
    for (const [d, from] of [
      [w0!, 96],
      [w1!, 72],
      [w2!, 48],
    ] as const) {
      expect(d.validation.rows).toBe(24);
      expect(months(d.validation.y, d.targetScaler!)).toEqual(passengers.slice(from, from + 24));
      expect(d.train.rows).toBe(from - 24);
      expect(months(d.test.y, d.targetScaler!)).toEqual(passengers.slice(120));
    }
    // Each prefix is standardized on its own values: the earliest window never sees the later months.
    expect(w2!.targetScaler!.mean).toBeLessThan(w0!.targetScaler!.mean);
    expect(w0!.train.rows).toBe(latest.train.rows);
  });

  it('a study asking for more windows than fit is refused at the command line: exit 2, one line, nothing written', () => {
    const dir = tempDir();
    const study = join(dir, 'air.json');
    const storage = join(dir, 'air.db');
    const file = {
      name: 'air',
      data: {
        source: AIR,
        target: 'passengers',
        task: 'regression',
        input: { kind: 'series', lookback: 24, horizon: 24 },
        split: { backtests: 5 },
      },
      objective: { metric: 'val_mape', direction: 'minimize' },
      space: { model: 'ridge' },
    };
    writeFileSync(study, JSON.stringify(file));
    const result = runCli(['run', study, '--storage', storage]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('data.split.backtests: 5 windows do not fit');
    expect(result.stderr).toContain('at most 3');
    expect(result.stderr).toContain('air.json');
    expect(existsSync(storage)).toBe(false);
  });

  it('refuses, before anything runs, a searched lookback too long for the windows asked for', () => {
    const study = join(tempDir(), 'air-lookback.json');
    const file = {
      name: 'air-lookback',
      data: {
        source: AIR,
        target: 'passengers',
        task: 'regression',
        input: { kind: 'series', lookback: 12, horizon: 24 },
        split: { backtests: 3 },
      },
      objective: { metric: 'val_mape', direction: 'minimize' },
      space: { model: 'ridge', lookback: { choice: [12, 24, 48] } },
    };
    writeFileSync(study, JSON.stringify(file));
    const refused = runCli(['validate', study]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('data.split.backtests: 3 windows do not fit (144 values, lookback 48');
    expect(refused.stderr).toContain('at most 2');
    expect(refused.stderr).toContain('(space.lookback reaches lookback 48)');
    // Up to 36 the three windows fit (the earliest keeps 48 − 36 = 12 samples).
    writeFileSync(study, JSON.stringify({ ...file, space: { model: 'ridge', lookback: { choice: [12, 24, 36] } } }));
    expect(runCli(['validate', study]).code).toBe(0);
  });

  it('refuses backtests on input that is not a series', () => {
    expect(() =>
      parseStudy({
        name: 'wine',
        data: { source: repoPath('datasets/wine.csv'), target: 'cultivar', task: 'classification', split: { backtests: 3 } },
        objective: { metric: 'val_accuracy', direction: 'maximize' },
        space: {},
      }),
    ).toThrow(/data\.split\.backtests/);
  });
});
