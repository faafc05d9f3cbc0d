import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autotune } from '../../src/api/autotune.js';
import { dashboardApp } from '../../src/server/dashboard-app.js';
import { defaultAllowedHosts } from '../../src/server/guards.js';
import { openStorage } from '../../src/storage/index.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';
import { call, PORT, seededApp, TOKEN } from './seed.js';

const json = { 'content-type': 'application/json' };

describe('deleting a study from the dashboard', () => {
  const dir = useTempDir();

  it('refuses while a stopped study still has running trials, and deletes it once they have ended', async () => {
    const { app, storage } = await seededApp();
    const study = await storage.findStudy('empty');
    const trial = await storage.createTrial(study!.id, { state: 'running', params: {}, distributions: {}, seed: 0 });
    expect((await call(app, '/api/studies/empty/stop', { method: 'POST', headers: json, body: '{}' })).status).toBe(200);

    const refused = await call(app, '/api/studies/empty?confirm=empty', { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({
      error: 'study "empty" has 1 trial(s) still running; stop it and delete it once they have ended',
    });
    expect(await storage.findStudy('empty')).not.toBeNull();

    await storage.finishTrial(trial.id, { state: 'failed', reason: 'stopped' });
    expect((await call(app, '/api/studies/empty?confirm=empty', { method: 'DELETE' })).status).toBe(200);
    expect(await storage.findStudy('empty')).toBeNull();
  });

  it("removes the study's artifact folder and leaves other studies' alone", async () => {
    const db = join(dir(), 'studies.db');
    const data = { source: repoPath('datasets/iris.csv'), target: 'species', task: 'classification' } as const;
    const study = (name: string) =>
      autotune({
        name,
        data,
        metric: 'val_accuracy',
        direction: 'maximize',
        training: { epochs: 2 },
        space: { units: { int: [4, 8] } },
        trials: 2,
        seed: 1,
        baselines: false,
        storage: db,
        runner: 'inline',
      });
    const doomed = await study('doomed');
    await study('kept');
    const artifacts = doomed.artifacts as string;
    expect(readdirSync(join(artifacts, 'doomed')).sort()).toEqual(['trial-0', 'trial-1']);

    const storage = await openStorage(db);
    try {
      const app = dashboardApp({ storage, token: TOKEN, allowedHosts: defaultAllowedHosts(PORT) });
      expect((await call(app, '/api/studies/doomed?confirm=doomed', { method: 'DELETE' })).status).toBe(200);
      expect(existsSync(join(artifacts, 'doomed'))).toBe(false);
      expect(readdirSync(join(artifacts, 'kept')).sort()).toEqual(['trial-0', 'trial-1']);
    } finally {
      await storage.close();
    }
  }, 120_000);
});
