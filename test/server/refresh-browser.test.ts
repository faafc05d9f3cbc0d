import { serve } from '@hono/node-server';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardApp } from '../../src/server/dashboard-app.js';
import { defaultAllowedHosts } from '../../src/server/guards.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { seedStudy, TOKEN } from './seed.js';
import { ARTIFACTS, browserSuite, CHROMIUM, CHROMIUM_INSTALLED, freePort } from '../helpers/browser.js';

describe.skipIf(!CHROMIUM_INSTALLED)(browserSuite('study page refreshes only on news'), () => {
  it('leaves a finished study alone, keeping the chosen metric and open panel; refreshes once it resumes', {
    timeout: 60_000,
  }, async () => {
    const { chromium } = await import('playwright-core');
    const storage = new MemoryStorage();
    await seedStudy(storage, { name: 'finished', trials: 12, epochs: 4 });
    const study = (await storage.findStudy('finished'))!;
    await storage.setStudyState(study.id, 'complete');
    const port = await freePort();
    const app = dashboardApp({
      storage,
      token: TOKEN,
      allowedHosts: defaultAllowedHosts(port),
      events: { pollMs: 100, heartbeatMs: 1000 },
    });
    const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    mkdirSync(ARTIFACTS, { recursive: true });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
      await page.goto(`http://127.0.0.1:${port}/?token=${TOKEN}`);
      await page.waitForSelector('main[data-ready="studies"]');
      await page.goto(`http://127.0.0.1:${port}/#/study/finished`);
      await page.waitForSelector('main[data-ready="study"]');

      const metric = page.getByLabel('learning-curve metric');
      expect(await metric.inputValue()).toBe('val_loss');
      const curves = page.waitForResponse((r) => r.url().includes('/curves?metric=loss'));
      await metric.selectOption('loss');
      await curves;
      await page.locator('summary', { hasText: 'Configuration' }).click();
      const configuration = page.locator('details[data-panel="configuration"]');
      expect(await configuration.getAttribute('open')).not.toBeNull();

      const requests: string[] = [];
      page.on('request', (r) => void (r.url().includes('/api/') && requests.push(r.url())));
      // The one wait allowed: nothing should happen during it (the old page reloaded itself every ~3.4 s).
      await page.waitForTimeout(10_000);
      expect(requests).toEqual([]);
      expect(await metric.inputValue()).toBe('loss');
      expect(await configuration.getAttribute('open')).not.toBeNull();
      const live = await page.locator('#live').textContent();
      expect(live).toBe('complete: not running');

      // The study resumes in another process: the page refreshes, and keeps both choices.
      await storage.setStudyState(study.id, 'running');
      await storage.createTrial(study.id, {
        state: 'running',
        params: { lr: 0.01, units: 32, activation: 'relu' },
        distributions: {},
        seed: 99,
      });
      await page.waitForSelector('main h1 .state-running');
      await page.waitForSelector('main[data-ready="study"]');
      expect(await page.locator('#trials tbody tr').count()).toBe(13);
      expect(await metric.inputValue()).toBe('loss');
      expect(await configuration.getAttribute('open')).not.toBeNull();
      expect(await page.locator('#live').textContent()).toMatch(/^live/);
      await page.screenshot({ path: join(ARTIFACTS, 'study-resumed.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
