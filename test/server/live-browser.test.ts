import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runStudy } from '../../src/api/autotune.js';
import { startDashboard } from '../../src/cli/dashboard.js';
import { parseStudy } from '../../src/space/load.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';
import { ARTIFACTS, browserSuite, CHROMIUM, CHROMIUM_INSTALLED, freePort } from '../helpers/browser.js';
import { followEvents, updates } from './sse.js';

// A quick objective slowed down so the study is still running while the page watches it.
const liveStudy = parseStudy(
  {
    name: 'live-quad',
    objective: { metric: 'value', direction: 'minimize' },
    // staleAfterSeconds 1 makes the search look for a stop request every 250 ms instead of every 10 s.
    search: { sampler: 'random', trials: 100, parallelism: 1, seed: 3, staleAfterSeconds: 1 },
    space: { x: { float: [-5, 5] }, y: { float: [0, 10] } },
  },
  undefined,
  { inlineObjective: true },
);

const wineStudy = (space: unknown) => ({
  name: 'launched-wine',
  data: { source: 'wine.csv', target: 'cultivar', task: 'classification' },
  objective: { metric: 'val_accuracy', direction: 'maximize' },
  search: { sampler: 'random', trials: 1, parallelism: 1, seed: 1 },
  training: { epochs: 2 },
  space,
});

describe.skipIf(!CHROMIUM_INSTALLED)(browserSuite('live dashboard over SQLite in headless Chromium'), () => {
  const dir = useTempDir();

  it('follows a running study, stops it from the page, and launches one from the form', { timeout: 60_000 }, async () => {
    const { chromium } = await import('playwright-core');
    mkdirSync(ARTIFACTS, { recursive: true });
    const dataRoot = join(dir(), 'data');
    mkdirSync(dataRoot);
    copyFileSync(repoPath('datasets/wine.csv'), join(dataRoot, 'wine.csv'));
    const storage = `sqlite:${join(dir(), 'live.db')}`;
    const port = await freePort();
    const dashboard = await startDashboard({ storage, port, host: '127.0.0.1', dataRoot });
    const token = new URL(dashboard.url).searchParams.get('token');
    const origin = `http://127.0.0.1:${port}`;

    let firstTrial!: () => void;
    const started = new Promise<void>((done) => (firstTrial = done));
    const result = runStudy(liveStudy, {
      storage,
      runner: 'inline',
      objective: async ({ x, y }: { x: number; y: number }) => {
        await sleep(150);
        return (x - 1) ** 2 + (y - 2) ** 2;
      },
      on: { trialEnd: () => firstTrial() },
    });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      await started;
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      // The invalid launch below is answered 400 on purpose; Chromium logs that as a console error.
      page.on('console', (m) => void (m.type() === 'error' && !/status of 400/.test(m.text()) && errors.push(m.text())));
      page.on('dialog', (d) => void d.accept());

      await page.goto(dashboard.url);
      await page.waitForSelector('main[data-ready="studies"]');
      await page.locator('#studies a', { hasText: 'live-quad' }).click();
      await page.waitForSelector('main[data-ready="study"]');

      // The page re-renders from the event stream: the history chart must gain points while the study runs.
      const points = () => page.locator('.chart[data-points]').getAttribute('data-points').then(Number);
      const before = await points();
      // Waits in the page for the next re-render (an event-stream update) to draw more points.
      await page.locator(`.chart[data-points]:not([data-points="${before}"])`).first().waitFor({ timeout: 10_000 });
      expect(await points()).toBeGreaterThan(before);
      const parallel = await page.locator('[aria-label^="Parallel coordinates"] canvas').boundingBox();
      expect(parallel?.width).toBeGreaterThan(0);
      expect(parallel?.height).toBeGreaterThan(0);
      await page.waitForSelector('main[data-ready="study"]');
      await page.screenshot({ path: join(ARTIFACTS, 'study.png'), fullPage: true });

      await page.getByRole('button', { name: 'Stop study' }).click();
      await page.waitForSelector('main h1 .state-stopped');
      const finished = await result;
      expect(finished.study.state).toBe('stopped');
      expect(finished.trials.length).toBeLessThan(100);

      await page.locator('#trials tbody a').first().click();
      await page.waitForSelector('main[data-ready="trial"]');
      await page.screenshot({ path: join(ARTIFACTS, 'trial.png'), fullPage: true });

      await page.goto(`${origin}/#/`);
      await page.waitForSelector('main[data-ready="studies"]');
      const studyFile = page.getByLabel(/^Study file/);
      await studyFile.fill(JSON.stringify(wineStudy({ units: { int: [8] } })));
      await page.getByRole('button', { name: 'Launch' }).click();
      await page.waitForSelector('.launch li:has-text("space.units")');
      await studyFile.fill(JSON.stringify(wineStudy({ layers: 1, units: 16, learningRate: 0.01 })));
      await page.getByRole('button', { name: 'Launch' }).click();
      await page.locator('#studies a', { hasText: 'launched-wine' }).waitFor();

      // The launched study trains in this process on the dashboard's storage: let it finish before closing that,
      // told by its event stream.
      const stream = followEvents(
        await fetch(`${origin}/api/studies/launched-wine/events`, { headers: { authorization: `Bearer ${token}` } }),
        30_000,
      );
      try {
        await stream.until((events) => updates(events).some((u) => u.state === 'complete'));
      } finally {
        await stream.close();
      }
      await page.reload();
      await page.waitForSelector('main[data-ready="studies"]');
      await page.screenshot({ path: join(ARTIFACTS, 'studies.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await result.catch(() => undefined);
      await dashboard.close();
    }
  });
});
