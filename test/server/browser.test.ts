import { serve } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { dashboardApp } from '../../src/server/dashboard-app.js';
import { defaultAllowedHosts } from '../../src/server/guards.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { seedStudy, TOKEN } from './seed.js';
import { browserSuite, CHROMIUM, CHROMIUM_INSTALLED, freePort } from '../helpers/browser.js';

describe.skipIf(!CHROMIUM_INSTALLED)(browserSuite('dashboard in headless Chromium'), () => {
  it('logs in with the token URL, lists studies, opens a study and a trial without script errors', async () => {
    const { chromium } = await import('playwright-core');
    const storage = new MemoryStorage();
    await seedStudy(storage, { name: 'smoke <b>study</b>', trials: 12, epochs: 4 });
    const port = await freePort();
    const server = serve({
      fetch: dashboardApp({ storage, token: TOKEN, allowedHosts: defaultAllowedHosts(port) }).fetch,
      port,
      hostname: '127.0.0.1',
    });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
      await page.goto(`http://127.0.0.1:${port}/?token=${TOKEN}`);
      expect(page.url()).toBe(`http://127.0.0.1:${port}/`);
      await page.waitForSelector('#studies tbody tr');
      // The name is shown as text, not parsed as HTML.
      expect(await page.locator('#studies tbody a').textContent()).toBe('smoke <b>study</b>');
      await page.locator('#studies tbody a').focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('#trials tbody tr');
      expect(await page.locator('#trials tbody tr').count()).toBe(12);
      expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(4);
      await page.locator('#trials tbody a').first().click();
      await page.waitForSelector('h1:has-text("Trial")');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
