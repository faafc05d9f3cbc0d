import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../src/core/types.js';
import { call, seededApp } from './seed.js';

// The seeded study `small`: 20 trials over lr (log float), units and activation (choices); 14 complete, 4 pruned,
// 2 failed; each reports val_loss and loss for 5 epochs, and complete ones a final val_loss metric.
type Json = Record<string, any>;
const get = async (app: Awaited<ReturnType<typeof seededApp>>['app'], path: string) => {
  const res = await call(app, path);
  return { status: res.status, body: (await res.json()) as Json };
};

async function completeValues(storage: Awaited<ReturnType<typeof seededApp>>['storage']): Promise<TrialRecord[]> {
  const study = await storage.findStudy('small');
  return storage.listTrials(study?.id ?? -1, { states: ['complete'] });
}

describe('EDF, rank plot and trial comparison', () => {
  it('gives the empirical distribution of the objective: for each value, the share of complete trials at or below it', async () => {
    const { app, storage } = await seededApp();
    const values = (await completeValues(storage)).map((t) => t.values?.[0] as number);
    const { status, body } = await get(app, '/api/studies/small/edf');
    expect(status).toBe(200);
    expect(body.trials).toBe(14);
    expect(body.direction).toBe('minimize');
    const points = body.points as [number, number][];
    expect(points.length).toBe(new Set(values).size);
    for (const [x, share] of points) expect(share).toBeCloseTo(values.filter((v) => v <= x).length / values.length, 12);
    expect(points.map((p) => p[0])).toEqual([...new Set(values)].sort((a, b) => a - b));
    expect(points.at(-1)?.[1]).toBe(1);
    expect((await get(app, '/api/studies/empty/edf')).body).toMatchObject({ points: [], trials: 0 });
  });

  it('ranks complete trials for the rank plot: 0 the best, 1 the worst, on two parameters chosen or by importance', async () => {
    const { app, storage } = await seededApp();
    const complete = await completeValues(storage);
    const { body } = await get(app, '/api/studies/small/rank?x=units&y=lr');
    expect(body.x.name).toBe('units');
    expect(body.y).toMatchObject({ name: 'lr', distribution: { kind: 'float', log: true } });
    expect(body.trials).toBe(14);
    for (const [x, y, rank, value, number] of body.points as [number, number, number, number, number][]) {
      const trial = complete.find((t) => t.number === number) as TrialRecord;
      expect([x, y, value]).toEqual([trial.params.units, trial.params.lr, trial.values?.[0]]);
      const better = complete.filter((t) => (t.values?.[0] as number) < value).length;
      expect(rank).toBeCloseTo(better / 13, 12);
    }
    const ranks = (body.points as number[][]).map((p) => p[2] as number);
    expect(Math.min(...ranks)).toBe(0);
    // The two worst trials tie (trials 3 and 11: 128 units, lr 0.1 and 1e-4 equally far from 10^-2.5), so both share the better rank.
    expect(Math.max(...ranks)).toBeCloseTo(12 / 13, 12);
    // By default, the most important parameter (lr drives the seeded objective) is on x.
    const byDefault = (await get(app, '/api/studies/small/rank')).body;
    expect(byDefault.x.name).toBe('lr');
    expect(byDefault.y.name).not.toBe('lr');
    expect(await get(app, '/api/studies/small/rank?x=nope')).toMatchObject({ status: 400, body: { issues: [{ path: 'query.x' }] } });
    expect(await get(app, '/api/studies/small/rank?x=lr&y=lr')).toMatchObject({ status: 400, body: { issues: [{ path: 'query.y' }] } });
    expect((await get(app, '/api/studies/empty/rank')).body).toMatchObject({ x: null, points: [] });
  });

  it('puts the objective on y of the rank plot when the study has a single parameter', async () => {
    const { app, storage } = await seededApp();
    const study = await storage.createStudy({ name: 'one', directions: ['maximize'], config: {} });
    for (const [x, value] of [
      [1, 0.5],
      [2, 0.9],
      [3, 0.7],
    ] as const) {
      const trial = await storage.createTrial(study.id, {
        state: 'running',
        params: { x },
        distributions: { x: { kind: 'float', low: 0, high: 4, log: false } },
        seed: x,
      });
      await storage.finishTrial(trial.id, { state: 'complete', values: [value] });
    }
    const { body } = await get(app, '/api/studies/one/rank');
    expect(body.x.name).toBe('x');
    expect(body.y).toBeNull();
    // Maximize: 0.9 is the best (rank 0), 0.5 the worst (rank 1).
    expect(body.points).toEqual([
      [1, 0.5, 1, 0.5, 0],
      [2, 0.9, 0, 0.9, 1],
      [3, 0.7, 0.5, 0.7, 2],
    ]);
  });

  it('compares trials side by side: parameters and metrics with the differing rows flagged, and their curves', async () => {
    const { app, storage } = await seededApp();
    const study = await storage.findStudy('small');
    const all = await storage.listTrials(study?.id ?? -1);
    const { status, body } = await get(app, '/api/studies/small/compare?trials=2,0,4');
    expect(status).toBe(200);
    expect(body.trials.map((t: Json) => t.number)).toEqual([2, 0, 4]);
    const row = (rows: Json[], name: string) => rows.find((r) => r.name === name) as Json;
    expect(row(body.params, 'lr').values).toEqual([2, 0, 4].map((n) => all[n]?.params.lr));
    expect(row(body.params, 'lr').differs).toBe(true);
    // Trials 0, 2 and 4 all used tanh.
    expect(row(body.params, 'activation')).toEqual({ name: 'activation', values: ['tanh', 'tanh', 'tanh'], differs: false });
    // Trial 4 was pruned without final metrics.
    expect(row(body.metrics, 'val_loss').values).toEqual([all[2]?.metrics.val_loss, all[0]?.metrics.val_loss, null]);
    expect(body.metric).toBe('val_loss');
    expect(body.curves.map((c: Json) => c.trial).sort()).toEqual([0, 2, 4]);
    for (const curve of body.curves as Json[]) expect(curve.points).toHaveLength(5);
    const loss = (await get(app, '/api/studies/small/compare?trials=0,1&metric=loss')).body;
    expect(loss.metric).toBe('loss');
    expect(loss.curves.find((c: Json) => c.trial === 1).points[0][1]).toBeCloseTo((all[1]?.metrics.val_loss as number) + 0.5, 12);

    expect(await get(app, '/api/studies/small/compare?trials=0,99')).toMatchObject({
      status: 404,
      body: { issues: [{ path: 'query.trials[1]' }] },
    });
    expect(await get(app, '/api/studies/small/compare?trials=3')).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'query.trials' }] },
    });
    expect(await get(app, '/api/studies/small/compare?trials=3,3')).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'query.trials' }] },
    });
    expect(await get(app, '/api/studies/small/compare?trials=3,x')).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'query.trials[1]' }] },
    });
    expect(await get(app, '/api/studies/small/compare?trials=0,1&metric=acc')).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'query.metric' }] },
    });
  });
});

describe('trial table sorted and filtered by any parameter or metric', () => {
  it('sorts by a parameter or final metric, trials without it last in either order, ties by number', async () => {
    const { app, storage } = await seededApp();
    const study = await storage.findStudy('small');
    const all = await storage.listTrials(study?.id ?? -1);
    const byLr = (await get(app, '/api/studies/small/trials?sort=lr&order=desc&limit=1000')).body;
    expect(byLr.total).toBe(20);
    const lrs = byLr.trials.map((t: Json) => t.params.lr);
    expect(lrs).toEqual([...lrs].sort((a, b) => b - a));
    const numbers = byLr.trials.map((t: Json) => t.number);
    for (let i = 1; i < numbers.length; i++) if (lrs[i] === lrs[i - 1]) expect(numbers[i]).toBeGreaterThan(numbers[i - 1]);

    for (const order of ['asc', 'desc']) {
      const page = (await get(app, `/api/studies/small/trials?sort=metrics.val_loss&order=${order}&limit=1000`)).body;
      const losses = page.trials.map((t: Json) => t.metrics.val_loss ?? null);
      const present = losses.filter((v: number | null) => v !== null);
      expect(present).toHaveLength(14);
      expect(losses.slice(14)).toEqual(Array(6).fill(null));
      expect(present).toEqual([...present].sort((a, b) => (order === 'asc' ? a - b : b - a)));
    }
    const byActivation = (await get(app, '/api/studies/small/trials?sort=activation&limit=1000')).body;
    expect(byActivation.trials.map((t: Json) => t.params.activation)).toEqual([...Array(10).fill('relu'), ...Array(10).fill('tanh')]);
    expect(byActivation.stamp).toBe(
      Math.max(...all.map((t) => Math.max(t.createdAt, t.startedAt ?? 0, t.heartbeatAt ?? 0, t.finishedAt ?? 0))),
    );
  });

  it('filters by conditions on parameters, metrics and columns, combined with state, sort and paging', async () => {
    const { app, storage } = await seededApp();
    const study = await storage.findStudy('small');
    const all = await storage.listTrials(study?.id ?? -1);
    const where = encodeURIComponent('lr < 0.01, activation = relu, units >= 32');
    const page = (await get(app, `/api/studies/small/trials?where=${where}&sort=value&limit=1000`)).body;
    const expected = all.filter(
      (t) => (t.params.lr as number) < 0.01 && t.params.activation === 'relu' && (t.params.units as number) >= 32,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(page.total).toBe(expected.length);
    expect(page.trials.map((t: Json) => t.number).sort((a: number, b: number) => a - b)).toEqual(expected.map((t) => t.number));

    const good = (
      await get(app, `/api/studies/small/trials?state=complete&where=${encodeURIComponent('val_loss <= 0.2')}&sort=number&limit=2&offset=1`)
    ).body;
    const goodAll = all.filter((t) => t.state === 'complete' && (t.metrics.val_loss as number) <= 0.2);
    expect(good.total).toBe(goodAll.length);
    expect(good.trials.map((t: Json) => t.number)).toEqual(goodAll.slice(1, 3).map((t) => t.number));
    const notFailed = (await get(app, `/api/studies/small/trials?where=${encodeURIComponent('state != failed, epochs = 5')}&limit=1000`))
      .body;
    expect(notFailed.total).toBe(18);

    const bad = await get(app, `/api/studies/small/trials?where=${encodeURIComponent('lr < 0.01, foo = 1, units > big, lr ~ 2')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: Json) => i.path)).toEqual(['query.where[1]', 'query.where[2]', 'query.where[3]']);
    expect(bad.body.issues[0].message).toContain('"foo"');
    expect((await get(app, '/api/studies/small/trials?sort=params.nope')).body.issues).toEqual([
      { path: 'query.sort', message: expect.stringContaining('"params.nope"') },
    ]);
  });
});
