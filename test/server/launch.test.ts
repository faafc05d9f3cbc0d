import { mkdirSync, symlinkSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardApp } from '../../src/server/dashboard-app.js';
import { defaultAllowedHosts } from '../../src/server/guards.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';
import { call, PORT, TOKEN } from './seed.js';

function wineStudy(source: string, extra: Record<string, unknown> = {}) {
  return {
    name: 'launched-wine',
    data: { source, target: 'cultivar', task: 'classification' },
    objective: { metric: 'val_accuracy', direction: 'maximize' },
    search: { sampler: 'random', trials: 2, parallelism: 1, seed: 1 },
    training: { epochs: 3 },
    space: { layers: 1, units: 16, learningRate: 0.01 },
    ...extra,
  };
}

describe('launching studies from the dashboard', () => {
  const dir = useTempDir();

  function app(options: { allowCode?: boolean; onSettled?: (name: string) => void } = {}) {
    const root = join(dir(), 'data');
    mkdirSync(root);
    copyFileSync(repoPath('datasets/wine.csv'), join(root, 'wine.csv'));
    const storage = new MemoryStorage();
    return {
      storage,
      root,
      app: dashboardApp({
        storage,
        token: TOKEN,
        allowedHosts: defaultAllowedHosts(PORT),
        launch: { dataRoot: root, allowCode: options.allowCode ?? false, ...(options.onSettled ? { onSettled: options.onSettled } : {}) },
      }),
    };
  }
  const post = (a: ReturnType<typeof app>['app'], body: unknown) =>
    call(a, '/api/studies', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${PORT}` },
      body: JSON.stringify(body),
    });

  it('validates the study file, runs it with the server’s storage, and refuses a duplicate name', async () => {
    let settled!: (name: string) => void;
    const ended = new Promise<string>((resolve) => (settled = resolve));
    const { app: a, storage } = app({ onSettled: (name) => settled(name) });
    const bad = await post(a, { ...wineStudy('wine.csv'), space: { units: { int: [8] } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('space.units');
    const res = await post(a, wineStudy('wine.csv'));
    expect(res.status).toBe(202);
    expect(await ended).toBe('launched-wine');
    const study = await storage.findStudy('launched-wine');
    expect(study?.state).toBe('complete');
    // Its two searched trials and, besides them, the two baselines.
    expect(await storage.listTrials(study!.id, { states: ['complete'] })).toHaveLength(4);
    expect((await post(a, wineStudy('wine.csv'))).status).toBe(409);
  });

  it('refuses a metric the task does not report with 400, and creates no study', async () => {
    const { app: a, storage } = app();
    const res = await post(a, wineStudy('wine.csv', { objective: { metric: 'val_r2', direction: 'maximize' } }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: string[] }).issues).toEqual([
      expect.stringMatching(/^objective\.metric: "val_r2" is not reported by a classification task; choose one of /),
    ]);
    expect(await storage.listStudies()).toEqual([]);
  });

  it('confines datasets to the data root: no absolute paths, no .., no links out, no NUL', async () => {
    const { app: a, root } = app();
    symlinkSync('/etc/passwd', join(root, 'passwd.csv'));
    const cases: [string, RegExp][] = [
      ['/etc/passwd', /relative to the server's data root/],
      ['../../etc/passwd', /leaves the server's data root/],
      ['passwd.csv', /link that leaves/],
      ['wine.csv\u0000.txt', /NUL/],
      ['missing.csv', /no file/],
    ];
    for (const [source, message] of cases) {
      const res = await post(a, { ...wineStudy(source), name: `x${cases.findIndex((c) => c[0] === source)}` });
      expect(res.status, source).toBe(400);
      expect(((await res.json()) as { error: string }).error, source).toMatch(message);
    }
  });

  it('refuses study files that name code unless the server allows it', async () => {
    const { app: a } = app();
    const withModule = { name: 'code', objective: { direction: 'minimize', module: './evil.mjs' }, space: { x: { float: [0, 1] } } };
    const res = await post(a, withModule);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/^objective\.module: studies that run code/);
    const loss = await post(a, wineStudy('wine.csv', { name: 'loss', training: { epochs: 1, lossModule: './loss.mjs' } }));
    expect(loss.status).toBe(403);
  });
});
