import { describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/index.js';
import { call, seededApp } from './seed.js';

const json = { 'content-type': 'application/json' };

/** The best trial of the seeded `small` study (minimize), worked out here from the stored trials: complete ones only. */
async function bestOfSmall(storage: Storage): Promise<{ number: number; value: number }> {
  const study = (await storage.findStudy('small'))!;
  const complete = (await storage.listTrials(study.id)).filter((t) => t.state === 'complete');
  const value = Math.min(...complete.map((t) => t.values?.[0] as number));
  return { number: complete.find((t) => t.values?.[0] === value)!.number, value };
}

describe('dashboard API', () => {
  it('lists studies with state, counts by state, best value, sampler, scheduler and creation time', async () => {
    const { app, storage } = await seededApp();
    const { studies } = (await (await call(app, '/api/studies')).json()) as { studies: Record<string, unknown>[] };
    expect(studies.map((s) => s.name)).toEqual(['small', 'empty']);
    const small = studies[0] as Record<string, unknown>;
    expect(small).toMatchObject({
      state: 'running',
      trials: 20,
      sampler: 'tpe',
      scheduler: 'asha',
      metric: 'val_loss',
      direction: 'minimize',
    });
    expect(small.counts).toEqual({ waiting: 0, running: 0, complete: 14, pruned: 4, failed: 2 });
    const best = await bestOfSmall(storage);
    expect(small.best).toMatchObject(best);
    expect(typeof small.createdAt).toBe('number');
    expect(studies[1]).toMatchObject({ name: 'empty', best: null, trials: 0, sampler: null });
  });

  it('shows one study with its config, data-quality report and best trial; 404 for an unknown one', async () => {
    const { app, storage } = await seededApp();
    const study = (await (await call(app, '/api/studies/small')).json()) as Record<string, any>;
    expect(study.dataQuality).toEqual({ rows: 100, warnings: ['class imbalance'] });
    expect(study.ensemble).toBeNull();
    expect(study.config.search.sampler).toBe('tpe');
    const best = await bestOfSmall(storage);
    expect(study.best).toMatchObject(best);
    expect(study.bestTrial).toMatchObject({ number: best.number, state: 'complete', value: best.value });
    expect((await call(app, '/api/studies/nope')).status).toBe(404);
  });

  it('pages, sorts and filters trials', async () => {
    const { app } = await seededApp();
    const page = async (q: string) =>
      (await (await call(app, `/api/studies/small/trials${q}`)).json()) as {
        total: number;
        trials: { number: number; state: string; value: number | null }[];
        stamp: number;
      };
    const first = await page('?limit=5');
    expect(first.total).toBe(20);
    expect(first.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4]);
    expect((await page('?offset=18&limit=5')).trials.map((t) => t.number)).toEqual([18, 19]);
    expect((await page('?sort=number&order=desc&limit=3')).trials.map((t) => t.number)).toEqual([19, 18, 17]);
    expect(first.stamp).toBeGreaterThan(0);

    const complete = await page('?state=complete&sort=value&order=asc&limit=1000');
    expect(complete.total).toBe(14);
    expect(complete.trials.every((t) => t.state === 'complete')).toBe(true);
    const values = complete.trials.map((t) => t.value as number);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    const desc = await page('?state=complete&sort=value&order=desc');
    expect(desc.trials.map((t) => t.value)).toEqual([...values].reverse());

    const ended = await page('?state=pruned,failed&sort=value');
    expect(ended.total).toBe(6);
    // Failed trials have no value: last in either order.
    expect(ended.trials.slice(-2).map((t) => t.state)).toEqual(['failed', 'failed']);
    expect((await page('?state=failed&sort=value&order=desc')).trials.map((t) => t.value)).toEqual([null, null]);
  });

  it('rejects bad query parameters with their JSON path', async () => {
    const { app } = await seededApp();
    const cases: [string, string][] = [
      ['?limit=5000', 'query.limit'],
      ['?limit=0', 'query.limit'],
      ['?offset=-1', 'query.offset'],
      ['?sort=loss', 'query.sort'],
      ['?state=done', 'query.state[0]'],
      ['?bogus=1', 'query'],
    ];
    for (const [q, path] of cases) {
      const res = await call(app, `/api/studies/small/trials${q}`);
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as { issues: { path: string; message: string }[] };
      expect(
        body.issues.map((i) => i.path),
        q,
      ).toContain(path);
    }
    const stop = await call(app, '/api/studies/small/stop', { method: 'POST', headers: json, body: JSON.stringify({ reason: 5 }) });
    expect(stop.status).toBe(400);
    expect(((await stop.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe('body.reason');
    const curves = await call(app, '/api/studies/small/curves?trials=9999');
    expect(((await curves.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe('query.trials');
  });

  it('returns one trial with params, per-epoch metrics, diagnoses, backend and failure reason', async () => {
    const { app } = await seededApp();
    const trial = (await (await call(app, '/api/studies/small/trials/0')).json()) as Record<string, any>;
    expect(trial).toMatchObject({ number: 0, state: 'complete', backend: 'cpu', failReason: null });
    expect(Object.keys(trial.params).sort()).toEqual(['activation', 'lr', 'units']);
    expect(trial.steps).toHaveLength(5);
    expect(trial.steps[0]).toEqual({ step: 1, metrics: { val_loss: expect.any(Number), loss: expect.any(Number) } });
    expect(trial.diagnoses).toEqual(['overfitting: val_loss rose while loss fell']);
    const failed = (await (await call(app, '/api/studies/small/trials/6')).json()) as Record<string, any>;
    expect(failed).toMatchObject({ state: 'failed', failReason: 'out of memory', value: null });
    expect((await call(app, '/api/studies/small/trials/99')).status).toBe(404);
    expect((await call(app, '/api/studies/small/trials/x')).status).toBe(400);
  });

  it('stops a study: records the state and the request', async () => {
    const { app, storage } = await seededApp();
    const res = await call(app, '/api/studies/small/stop', { method: 'POST', headers: json, body: '{}' });
    expect(res.status).toBe(200);
    const study = await storage.findStudy('small');
    expect(study?.state).toBe('stopped');
    expect(study?.systemAttrs.stop_request).toMatchObject({ reason: 'stopped from the dashboard' });
    expect((await call(app, '/api/studies/nope/stop', { method: 'POST', headers: json, body: '{}' })).status).toBe(404);
    expect((await call(app, '/api/studies/small/stop', { method: 'POST', headers: json, body: '{' })).status).toBe(400);
  });

  it('deletes a study only with ?confirm=<its name>, and not while trials run', async () => {
    const { app, storage } = await seededApp();
    expect((await call(app, '/api/studies/small', { method: 'DELETE' })).status).toBe(400);
    expect((await call(app, '/api/studies/small?confirm=empty', { method: 'DELETE' })).status).toBe(400);
    expect(await storage.findStudy('small')).not.toBeNull();

    const busy = await storage.findStudy('empty');
    await storage.createTrial(busy!.id, { state: 'running', params: {}, distributions: {}, seed: 0 });
    expect((await call(app, '/api/studies/empty?confirm=empty', { method: 'DELETE' })).status).toBe(409);

    const res = await call(app, '/api/studies/small?confirm=small', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await storage.findStudy('small')).toBeNull();
    expect((await call(app, '/api/studies/small?confirm=small', { method: 'DELETE' })).status).toBe(404);
  });

  it('describes itself in an OpenAPI document', async () => {
    const { app } = await seededApp();
    const doc = (await (await call(app, '/api/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/studies', '/api/studies/{name}/trials', '/api/studies/{name}/events']),
    );
  });
});
