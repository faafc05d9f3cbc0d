import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardApp } from '../../src/server/dashboard-app.js';
import { defaultAllowedHosts } from '../../src/server/guards.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';
import { call, PORT, TOKEN } from './seed.js';

describe('a study launched from the dashboard with a held-out test file', () => {
  const dir = useTempDir();

  it('confines data.test.source to the data root as it does data.source, naming its JSON path', async () => {
    const root = join(dir(), 'data');
    mkdirSync(root);
    copyFileSync(repoPath('test/fixtures/held-out/wine-train.csv'), join(root, 'train.csv'));
    const app = dashboardApp({
      storage: new MemoryStorage(),
      token: TOKEN,
      allowedHosts: defaultAllowedHosts(PORT),
      launch: { dataRoot: root, allowCode: false },
    });
    const cases: [string, RegExp][] = [
      ['/etc/passwd', /^data\.test\.source: must be relative to the server's data root/],
      ['../../etc/passwd', /^data\.test\.source: leaves the server's data root/],
      ['missing.csv', /^data\.test\.source: no file "missing.csv"/],
    ];
    for (const [i, [test, message]] of cases.entries()) {
      const study = {
        name: `held-out-${i}`,
        data: { source: 'train.csv', test: { source: test }, target: 'cultivar', task: 'classification' },
        objective: { metric: 'val_accuracy', direction: 'maximize' },
        space: { layers: 0 },
      };
      const res = await call(app, '/api/studies', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${PORT}` },
        body: JSON.stringify(study),
      });
      expect(res.status, test).toBe(400);
      expect(((await res.json()) as { error: string }).error, test).toMatch(message);
    }
  });
});
