import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../src/core/types.js';
import { MAX_CHART_POINTS, stride } from '../../src/server/analysis/curves.js';
import { optimizationHistory } from '../../src/server/analysis/history.js';
import { paramImportance } from '../../src/server/analysis/importance.js';
import { dashboardApp } from '../../src/server/dashboard-app.js';
import { defaultAllowedHosts } from '../../src/server/guards.js';
import { SqliteStorage } from '../../src/storage/index.js';
import { useTempDir } from '../helpers/tmp.js';
import { call, PORT, seededApp, seedStudy, TOKEN } from './seed.js';

const dir = useTempDir();

interface CurvesBody {
  curves: { trial: number; points: [number, number][] }[];
  downsampled: boolean;
  metric: string;
  metrics: string[];
  totalPoints: number;
}

describe('chart endpoints', () => {
  it('never return more than the cap on a study with many trials × epochs (SQLite)', async () => {
    const storage = new SqliteStorage(`${dir()}/big.db`);
    await seedStudy(storage, { name: 'big', trials: 150, epochs: 60 });
    const app = dashboardApp({ storage, token: TOKEN, allowedHosts: defaultAllowedHosts(PORT) });
    for (const q of ['', '?trials=200', '?trials=1', '?metric=loss&trials=37']) {
      const body = (await (await call(app, `/api/studies/big/curves${q}`)).json()) as CurvesBody;
      const points = body.curves.reduce((n, c) => n + c.points.length, 0);
      expect(points, q).toBeLessThanOrEqual(MAX_CHART_POINTS);
      expect(body.totalPoints).toBe(150 * 60);
      expect(body.downsampled).toBe(true);
      // Every curve keeps its first and last epoch.
      for (const c of body.curves) expect([c.points[0]?.[0], c.points.at(-1)?.[0]]).toEqual([1, 60]);
    }
    const best = (await (await call(app, '/api/studies/big/trials?state=complete&sort=value&limit=1')).json()) as {
      trials: { number: number }[];
    };
    const curves = (await (await call(app, '/api/studies/big/curves?trials=1')).json()) as CurvesBody;
    expect(curves.curves.map((c) => c.trial)).toEqual([best.trials[0]?.number]);
    expect(curves.metric).toBe('val_loss');
    expect(curves.metrics).toEqual(['loss', 'val_loss']);

    const history = (await (await call(app, '/api/studies/big/history')).json()) as { values: unknown[]; best: unknown[] };
    expect(history.values.length + history.best.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    await storage.close();
  });

  it('send small studies whole', async () => {
    const { app } = await seededApp();
    const body = (await (await call(app, '/api/studies/small/curves')).json()) as CurvesBody;
    expect(body.curves).toHaveLength(20);
    expect(body.downsampled).toBe(false);
    expect(body.curves.every((c) => c.points.length === 5)).toBe(true);
    const empty = (await (await call(app, '/api/studies/empty/curves')).json()) as CurvesBody;
    expect(empty).toMatchObject({ curves: [], metric: null });
  });

  it('ranks lr as the most important parameter of the seeded study', async () => {
    const { app } = await seededApp();
    const body = (await (await call(app, '/api/studies/small/importance')).json()) as {
      method: string;
      params: { param: string; importance: number }[];
    };
    expect(body.params[0]?.param).toBe('lr');
    expect(body.params.every((p) => p.importance >= 0 && p.importance <= 1)).toBe(true);
    expect(body.method).toMatch(/variance/);
  });
});

function complete(number: number, value: number, params: Record<string, number | string> = {}): TrialRecord {
  const distributions = Object.fromEntries(Object.keys(params).map((k) => [k, { kind: 'float' as const, low: 0, high: 1, log: false }]));
  return {
    id: number + 1,
    studyId: 1,
    number,
    state: 'complete',
    params,
    distributions,
    values: [value],
    metrics: {},
    seed: 0,
    backend: 'inline',
    failReason: null,
    lastStep: null,
    userAttrs: {},
    systemAttrs: {},
    createdAt: 0,
    startedAt: 0,
    finishedAt: 0,
    heartbeatAt: null,
  };
}

describe('chart helpers', () => {
  it('stride keeps the ends and at most max items', () => {
    expect(stride([1, 2, 3], 5)).toEqual([1, 2, 3]);
    const thinned = stride(
      Array.from({ length: 101 }, (_, i) => i),
      11,
    );
    expect(thinned).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it('history draws best-so-far by direction and thins long histories under the cap', () => {
    const trials = [complete(0, 5), complete(1, 7), complete(2, 3), complete(3, 4)];
    expect(optimizationHistory(trials, 'minimize').best).toEqual([
      [0, 5],
      [2, 3],
    ]);
    expect(optimizationHistory(trials, 'maximize').best).toEqual([
      [0, 5],
      [1, 7],
    ]);
    const many = Array.from({ length: 5000 }, (_, i) => complete(i, 5000 - i));
    const h = optimizationHistory(many, 'minimize', 2000);
    expect(h.values.length + h.best.length).toBeLessThanOrEqual(2000);
    expect(h.downsampled).toBe(true);
    expect(h.best.at(-1)).toEqual([4999, 1]);
  });

  it('importance: a parameter that decides the value explains it; noise explains little', () => {
    const trials = Array.from({ length: 100 }, (_, i) => {
      const x = ((i * 37) % 100) / 100;
      const noise = ((i * 61) % 100) / 100;
      return complete(i, x * 10 + (noise > 0.5 ? 0.01 : 0), { x, noise });
    });
    const [first, second] = paramImportance(trials);
    expect(first?.param).toBe('x');
    expect(first?.importance).toBeGreaterThan(0.9);
    expect(second?.importance).toBeLessThan(0.1);
    expect(paramImportance(trials.slice(0, 3))).toEqual([]);
  });

  it('importance: objective values near ±1e308 give the same shares as small ones (squares used to overflow)', () => {
    const trials = Array.from({ length: 40 }, (_, i) => {
      const x = ((i * 37) % 40) / 40;
      const noise = ((i * 61) % 40) / 40;
      return { x, noise, value: (x > 0.5 ? 1 : -1) + (noise > 0.5 ? 0.05 : 0) };
    });
    const shares = (scale: number) => paramImportance(trials.map((t, i) => complete(i, t.value * scale, { x: t.x, noise: t.noise })));
    const small = shares(1);
    const huge = shares(1e308);
    expect(huge.map((p) => p.param)).toEqual(['x', 'noise']);
    expect(huge[0]?.importance).toBeGreaterThan(0.9);
    huge.forEach((p, i) => expect(p.importance).toBeCloseTo(small[i]?.importance as number, 12));
  });
});
