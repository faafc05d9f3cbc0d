import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { call, seededApp } from './seed.js';

describe('GET /api/studies/:name/trials.csv', () => {
  it('downloads every trial as CSV, one column per param, with the stored values and reasons', async () => {
    const { app, storage } = await seededApp();
    const response = await call(app, '/api/studies/small/trials.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="small-trials.csv"');
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    const study = (await storage.findStudy('small'))!;
    const trials = await storage.listTrials(study.id);
    expect(rows).toHaveLength(trials.length);
    for (const [i, trial] of trials.entries()) {
      expect(rows[i]).toMatchObject({
        number: String(trial.number),
        state: trial.state,
        reason: trial.failReason ?? '',
        'params.activation': String(trial.params.activation),
      });
      expect(Number(rows[i]!['params.lr'])).toBe(trial.params.lr);
      expect(rows[i]!.value === '' ? null : Number(rows[i]!.value)).toBe(trial.values?.[0] ?? null);
    }
    expect(rows.filter((r) => r.state === 'failed').map((r) => r.reason)).toEqual(['out of memory', 'out of memory']);
  });

  it('filters by state, and keeps the token, Host and 404 rules of the API', async () => {
    const { app } = await seededApp();
    const pruned = parse(await (await call(app, '/api/studies/small/trials.csv?state=pruned')).text(), { columns: true }) as Record<
      string,
      string
    >[];
    expect(pruned.map((r) => r.reason)).toEqual(['asha rung 1', 'asha rung 1', 'asha rung 1', 'asha rung 1']);
    expect((await call(app, '/api/studies/small/trials.csv?state=sideways')).status).toBe(400);
    expect((await call(app, '/api/studies/small/trials.csv', { token: null })).status).toBe(401);
    expect((await call(app, '/api/studies/small/trials.csv', { headers: { host: 'evil.example:8765' } })).status).toBe(403);
    expect((await call(app, '/api/studies/nope/trials.csv')).status).toBe(404);
  });
});
