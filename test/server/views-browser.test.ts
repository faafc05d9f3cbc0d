import { serve } from '@hono/node-server';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardApp } from '../../src/server/dashboard-app.js';
import { defaultAllowedHosts } from '../../src/server/guards.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { TOKEN } from './seed.js';
import { ARTIFACTS, browserSuite, CHROMIUM, CHROMIUM_INSTALLED, freePort } from '../helpers/browser.js';

/** A Hyperband study over a log-scaled and a linear parameter and a choice, pruned trials, and an ensemble. */
async function seed(storage: MemoryStorage, name: string): Promise<void> {
  const study = await storage.createStudy({
    name,
    directions: ['minimize'],
    config: { objective: { metric: 'val_loss' }, search: { sampler: 'tpe', scheduler: { type: 'hyperband', eta: 3 } } },
  });
  for (let i = 0; i < 40; i++) {
    const lr = 10 ** (-4 + (3 * ((i * 7) % 11)) / 10);
    const dropout = ((i * 13) % 10) / 20;
    const trial = await storage.createTrial(study.id, {
      state: 'running',
      params: { lr, dropout, 'opt<i>': i % 3 ? 'adam' : 'sgd' },
      distributions: {
        lr: { kind: 'float', low: 1e-4, high: 0.1, log: true },
        dropout: { kind: 'float', low: 0, high: 0.5, log: false },
        'opt<i>': { kind: 'categorical', choices: ['adam', 'sgd'] },
      },
      seed: i,
      systemAttrs: { bracket: i % 3 },
    });
    const final = (Math.log10(lr) + 2.5) ** 2 + dropout;
    const pruned = i % 4 === 1;
    for (let e = 1; e <= (pruned ? 3 : 9); e++) await storage.recordStep(trial.id, e, { val_loss: final + 1 / e });
    await storage.setTrialSystemAttr(trial.id, 'rung', pruned ? 0 : 1 + (i % 2));
    await storage.finishTrial(trial.id, pruned ? { state: 'pruned', reason: 'rung 0' } : { state: 'complete', values: [final + 0.1] });
  }
  await storage.setStudySystemAttr(study.id, 'ensemble', {
    method: 'greedy',
    metric: 'val_loss',
    direction: 'minimize',
    members: [
      { trial: 0, weight: 0.6 },
      { trial: 2, weight: 0.4 },
    ],
    validationScore: 0.31,
    testScore: 0.33,
    bestSingle: { trial: 0, validationScore: 0.35, testScore: 0.36 },
    testGain: 0.03,
    candidates: 10,
    createdAt: '2024-01-01',
  });
}

describe.skipIf(!CHROMIUM_INSTALLED)(browserSuite('study page views in headless Chromium'), () => {
  it('draws parallel (log axis), slices, heatmap, brackets, ensemble and pruned curves in light and dark', async () => {
    const { chromium } = await import('playwright-core');
    const storage = new MemoryStorage();
    const name = "hb 'views' <b>";
    await seed(storage, name);
    const port = await freePort();
    const server = serve({
      fetch: dashboardApp({ storage, token: TOKEN, allowedHosts: defaultAllowedHosts(port) }).fetch,
      port,
      hostname: '127.0.0.1',
    });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    mkdirSync(ARTIFACTS, { recursive: true });
    try {
      for (const colorScheme of ['light', 'dark'] as const) {
        const context = await browser.newContext({ colorScheme, viewport: { width: 1200, height: 900 } });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
        await page.goto(`http://127.0.0.1:${port}/?token=${TOKEN}`);
        await page.waitForSelector('main[data-ready="studies"]');
        await page.goto(`http://127.0.0.1:${port}/#/study/${encodeURIComponent(name)}`);
        await page.waitForSelector('main[data-ready="study"]', { timeout: 20_000 });
        expect(await page.locator('.slices figure').count()).toBe(3);
        expect(await page.locator('.slices canvas').count()).toBeGreaterThanOrEqual(3);
        expect(
          await page
            .locator('[aria-label="Mean objective over lr and dropout"] canvas, [aria-label="Mean objective over dropout and lr"] canvas')
            .count(),
        ).toBeGreaterThanOrEqual(1);
        expect(await page.locator('#brackets tbody tr').count()).toBe(3);
        expect(await page.locator('#ensemble code').textContent()).toBe(`autotune export 'hb '\\''views'\\'' <b>' --ensemble --out DIR`);
        expect(Number(await page.locator('[aria-label="Learning curves"]').getAttribute('data-pruned'))).toBe(10);
        // Keyboard: the copy button is reachable by Tab.
        let reached = false;
        for (let i = 0; i < 80 && !reached; i++) {
          await page.keyboard.press('Tab');
          reached = await page.evaluate<boolean>("document.activeElement?.textContent === 'Copy command'");
        }
        expect(reached).toBe(true);
        await page.screenshot({ path: join(ARTIFACTS, `study-views-${colorScheme}.png`), fullPage: true });
        await page
          .locator('section.card', { hasText: 'Two-parameter heatmap' })
          .screenshot({ path: join(ARTIFACTS, `heatmap-${colorScheme}.png`) });
        await page
          .locator('section.card', { hasText: 'Learning curves' })
          .screenshot({ path: join(ARTIFACTS, `curves-${colorScheme}.png`) });
        expect(errors).toEqual([]);
        await context.close();
      }
    } finally {
      await browser.close();
      server.close();
    }
  }, 60_000);
});
