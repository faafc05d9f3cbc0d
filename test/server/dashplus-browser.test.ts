import { serve } from '@hono/node-server';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autotune } from '../../src/api/autotune.js';
import { dashboardApp } from '../../src/server/dashboard-app.js';
import { defaultAllowedHosts } from '../../src/server/guards.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { TOKEN } from './seed.js';
import { ARTIFACTS, browserSuite, CHROMIUM, CHROMIUM_INSTALLED, freePort } from '../helpers/browser.js';

const NAME = 'dash-plus';

/** A real search: TPE and ASHA over four parameters of a smooth loss that reports 9 epochs, seeded. */
async function finishedStudy(storage: MemoryStorage): Promise<void> {
  await autotune({
    name: NAME,
    space: {
      lr: { float: [1e-4, 1e-1], log: true },
      dropout: { float: [0, 0.5] },
      units: { int: [8, 256], log: true },
      activation: { choice: ['relu', 'tanh'] },
    },
    objective: async (p: { lr: number; dropout: number; units: number; activation: string }, ctx) => {
      const final =
        (Math.log10(p.lr) + 2.5) ** 2 + (p.dropout - 0.2) ** 2 + (Math.log2(p.units) - 6) ** 2 / 8 + (p.activation === 'relu' ? 0 : 0.3);
      for (let epoch = 1; epoch <= 9; epoch++) {
        await ctx.report(epoch, { val_loss: final + 1 / epoch, loss: final + 0.5 / epoch });
        if (ctx.shouldStop()) return final + 1 / epoch;
      }
      return final + 1 / 9;
    },
    metric: 'val_loss',
    direction: 'minimize',
    sampler: { type: 'tpe', startupTrials: 8 },
    scheduler: { type: 'asha', minEpochs: 1, maxEpochs: 9, eta: 3 },
    trials: 48,
    seed: 11,
    storage,
  });
}

/**
 * A screenshot of one card once the page is drawn. A live update may rebuild the page meanwhile (each new event stream
 * announces an update), detaching the card: then the page is drawn again and the shot retaken.
 */
async function cardShot(page: import('playwright-core').Page, title: string, path: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await page.waitForSelector('main[data-ready]');
    try {
      await page.locator(`section.card:has(> h2:text-is("${title}"))`).screenshot({ path });
      return;
    } catch (error) {
      if (attempt >= 4 || !String(error).includes('not attached')) throw error;
    }
  }
}

describe.skipIf(!CHROMIUM_INSTALLED)(browserSuite('optuna-dashboard views in headless Chromium'), () => {
  it('shows EDF and rank plots, log history, chosen parameters, any-column sort and filter, a note, and a comparison', async () => {
    const { chromium } = await import('playwright-core');
    const storage = new MemoryStorage();
    await finishedStudy(storage);
    const study = await storage.findStudy(NAME);
    const trials = await storage.listTrials(study?.id ?? -1);
    const complete = trials.filter((t) => t.state === 'complete');
    expect(complete.length).toBeGreaterThanOrEqual(10);
    const port = await freePort();
    const server = serve({
      fetch: dashboardApp({ storage, token: TOKEN, allowedHosts: defaultAllowedHosts(port) }).fetch,
      port,
      hostname: '127.0.0.1',
    });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    mkdirSync(ARTIFACTS, { recursive: true });
    const studyUrl = `http://127.0.0.1:${port}/#/study/${encodeURIComponent(NAME)}`;
    try {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => void (m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text())));
      const refused: string[] = [];
      page.on('response', (r) => void (r.status() >= 400 && refused.push(new URL(r.url()).searchParams.get('where') ?? r.url())));
      await page.goto(`http://127.0.0.1:${port}/?token=${TOKEN}`);
      await page.waitForSelector('main[data-ready="studies"]');
      await page.goto(studyUrl);
      await page.waitForSelector('main[data-ready="study"]', { timeout: 30_000 });

      // EDF: one point per distinct complete value.
      const edf = page.locator('[aria-label="Empirical distribution of the objective"]');
      expect(Number(await edf.getAttribute('data-edf-points'))).toBe(new Set(complete.map((t) => t.values?.[0])).size);
      expect(await edf.locator('canvas').count()).toBe(1);

      // Rank plot: defaults to the two most important parameters, and follows a new choice of y.
      const rankCard = page.locator('section.card', { hasText: 'Rank plot' });
      const ranked = (
        (await (
          await fetch(`http://127.0.0.1:${port}/api/studies/${NAME}/importance`, { headers: { authorization: `Bearer ${TOKEN}` } })
        ).json()) as { params: { param: string }[] }
      ).params.map((p) => p.param);
      const [first, second] = ranked;
      expect(await rankCard.locator(`[aria-label="Rank of the objective over ${first} and ${second}"] canvas`).count()).toBe(1);
      const third = ranked[2] as string;
      await rankCard.locator('select[aria-label="rank plot y parameter"]').selectOption(third);
      await page.waitForSelector(`[aria-label="Rank of the objective over ${first} and ${third}"] canvas`);

      // History on a log axis.
      const history = page.locator('[aria-label="Optimization history"]');
      expect(await history.getAttribute('data-scale')).toBe('linear');
      await page.locator('section.card', { hasText: 'Optimization history' }).getByLabel('Log scale').check();
      await page.waitForSelector('[aria-label="Optimization history"][data-scale="log"]');

      // Parallel coordinates without dropout.
      const parallelCard = page.locator('section.card', { hasText: 'Parallel coordinates' });
      expect(await page.locator('[aria-label="Parallel coordinates of the best trials"]').getAttribute('data-axes')).toBe(
        'activation,dropout,lr,units',
      );
      await parallelCard.locator('summary').click();
      await parallelCard.locator('.param-choice input[value="dropout"]').uncheck();
      await page.waitForSelector('[aria-label="Parallel coordinates of the best trials"][data-axes="activation,lr,units"]');

      // Slices: only two chosen.
      const slicesCard = page.locator('section.card', { hasText: 'Slices' });
      expect(await slicesCard.locator('.slices figure').count()).toBe(4);
      await slicesCard.locator('summary').click();
      await slicesCard.locator('.param-choice input[value="activation"]').uncheck();
      await page.waitForSelector('.slices figure:nth-of-type(4)', { state: 'detached' });
      expect(await slicesCard.locator('.slices figure').count()).toBe(3);
      await slicesCard.locator('.param-choice input[value="dropout"]').uncheck();
      await page.waitForSelector('.slices figure:nth-of-type(3)', { state: 'detached' });
      expect(await slicesCard.locator('figcaption').allTextContents()).toEqual(['lr (log scale)', 'units (log scale)']);

      // Heatmap over a chosen pair.
      const heatmapCard = page.locator('section.card', { hasText: 'Two-parameter heatmap' });
      await heatmapCard.locator('select[aria-label="heatmap x parameter"]').selectOption('dropout');
      await heatmapCard.locator('select[aria-label="heatmap y parameter"]').selectOption('units');
      await page.waitForSelector('[aria-label="Mean objective over dropout and units"] canvas');
      await page.waitForSelector('main[data-ready="study"]');
      await page.screenshot({ path: join(ARTIFACTS, 'dashplus-study-1200.png'), fullPage: true });

      // The trial table sorted by a parameter, then filtered by conditions on a parameter and a choice.
      const table = page.locator('#trials');
      await table.getByRole('button', { name: 'sort by lr' }).click();
      await page.waitForSelector('#trials th[aria-sort="ascending"] >> text=lr');
      const lrColumn = await table.locator('thead th').allTextContents();
      const lrIndex = lrColumn.findIndex((t) => t.startsWith('lr'));
      const shownLr = (await table.locator(`tbody tr td:nth-child(${lrIndex + 1})`).allTextContents()).map(Number);
      expect(shownLr).toEqual([...shownLr].sort((a, b) => a - b));
      const expected = trials.filter((t) => (t.params.lr as number) < 0.01 && t.params.activation === 'relu');
      await page.getByLabel('filter trials by conditions').fill('lr < 0.01, activation = relu');
      await page.getByLabel('filter trials by conditions').press('Enter');
      await page.waitForSelector(`text=1–${expected.length} of ${expected.length}`);
      expect(await table.locator('tbody tr').count()).toBe(expected.length);
      await page.getByLabel('filter trials by conditions').fill('lr < 0.01, colour = red');
      await page.getByLabel('filter trials by conditions').press('Enter');
      await page.waitForSelector('p.error >> text=query.where[1]');
      await page.getByRole('button', { name: 'Clear', exact: true }).click();
      await page.waitForSelector(`text=1–${trials.length} of ${trials.length}`);
      expect(await page.getByLabel('filter trials by conditions').inputValue()).toBe('');

      // A note with markup in it, shown as the text it is, kept on the server.
      const note = 'Try lr near 3e-3.\n<b>not bold</b> <img src=x onerror=alert(1)>';
      await page.getByRole('button', { name: 'Add a note' }).click();
      await page.getByLabel('study note').fill(note);
      await page.getByRole('button', { name: 'Save note' }).click();
      await page.waitForSelector('#note .note-text');
      expect(await page.locator('#note .note-text').textContent()).toBe(note);
      expect(await page.locator('#note b, #note img').count()).toBe(0);
      expect((await storage.getStudyNote(study?.id ?? -1)).text).toBe(note);
      // Someone saves in between: the save is refused with their text shown, and saving again replaces it knowingly.
      await page.getByRole('button', { name: 'Edit note' }).click();
      await page.getByLabel('study note').fill('mine');
      expect((await storage.setStudyNote(study?.id ?? -1, 'theirs', 1)).saved).toBe(true);
      await page.getByRole('button', { name: 'Save note' }).click();
      await page.waitForSelector('#note p.error >> text=Someone saved this note after you opened it');
      expect(await page.locator('#note .note-text').textContent()).toBe('theirs');
      expect(await page.getByLabel('study note').inputValue()).toBe('mine');
      await cardShot(page, 'Note', join(ARTIFACTS, 'dashplus-note-conflict.png'));
      await page.getByRole('button', { name: 'Save mine over theirs' }).click();
      await page.waitForSelector('#note .note-text >> text=mine');
      expect(await storage.getStudyNote(study?.id ?? -1)).toMatchObject({ text: 'mine', version: 3 });

      // Three trials side by side.
      const picked = trials.slice(0, 3).map((t) => t.number);
      await table.getByRole('button', { name: 'sort by #' }).click();
      await page.waitForSelector('#trials th[aria-sort="ascending"] >> text=#');
      for (const n of picked) await page.getByLabel(`compare trial ${n}`, { exact: true }).check();
      await page.locator('#compare-link').click();
      await page.waitForSelector('main[data-ready="compare"]');
      expect(await page.locator('#compared thead th').allTextContents()).toEqual(['trial', ...picked.map((n) => `#${n}`)]);
      const lrRow = page.locator('table.compare tr', { hasText: 'lr' }).first();
      expect(await lrRow.getAttribute('class')).toBe('differs');
      expect(await page.locator('[aria-label="Learning curves of the compared trials"] canvas').count()).toBe(1);
      await page.screenshot({ path: join(ARTIFACTS, 'dashplus-compare-1200.png'), fullPage: true });

      // From a trial's page, one click compares it with the best trial.
      const bestNumber = complete.reduce((a, b) => ((b.values?.[0] as number) < (a.values?.[0] as number) ? b : a)).number;
      const other = trials.find((t) => t.number !== bestNumber)?.number as number;
      await page.goto(`http://127.0.0.1:${port}/#/study/${NAME}/trial/${other}`);
      await page.waitForSelector('main[data-ready="trial"]');
      await page.locator('#compare-best').click();
      await page.waitForSelector('main[data-ready="compare"]');
      expect(await page.locator('#compared thead th').allTextContents()).toEqual([
        'trial',
        ...[bestNumber, other].sort((a, b) => a - b).map((n) => `#${n}`),
      ]);

      // On a phone: nothing wider than the screen but the tables' own scrolling.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(ARTIFACTS, 'dashplus-compare-390.png'), fullPage: true });
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await page.goto(studyUrl);
      await page.waitForSelector('main[data-ready="study"]', { timeout: 30_000 });
      // Choices survive the reload.
      expect(await page.locator('.slices figure').count()).toBe(2);
      await page.waitForSelector('[aria-label="Optimization history"][data-scale="log"]');
      await page.screenshot({ path: join(ARTIFACTS, 'dashplus-study-390.png'), fullPage: true });
      for (const [title, file] of [
        ['Note', 'note'],
        ['Optimization history', 'history'],
        ['Slices: objective against each parameter', 'slices'],
        ['Empirical distribution (EDF)', 'edf'],
        ['Rank plot', 'rank'],
        ['Trials', 'trials'],
      ]) {
        await cardShot(page, title as string, join(ARTIFACTS, `dashplus-390-${file}.png`));
      }
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      expect(errors).toEqual([]);
      // The refused requests: the filter naming no field, and the save over a newer note.
      expect(refused).toEqual(['lr < 0.01, colour = red', `http://127.0.0.1:${port}/api/studies/${NAME}/note`]);
      await context.close();

      // Dark: the comparison and the study's new cards follow the colour scheme.
      const dark = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1200, height: 900 } });
      const darkPage = await dark.newPage();
      await darkPage.goto(`http://127.0.0.1:${port}/?token=${TOKEN}`);
      await darkPage.goto(`http://127.0.0.1:${port}/#/study/${NAME}/compare/${picked.join(',')}`);
      await darkPage.waitForSelector('main[data-ready="compare"]');
      await darkPage.screenshot({ path: join(ARTIFACTS, 'dashplus-compare-dark.png'), fullPage: true });
      await darkPage.goto(studyUrl);
      await darkPage.waitForSelector('main[data-ready="study"]', { timeout: 30_000 });
      await cardShot(darkPage, 'Rank plot', join(ARTIFACTS, 'dashplus-rank-dark.png'));
      await cardShot(darkPage, 'Trials', join(ARTIFACTS, 'dashplus-trials-dark.png'));
      await dark.close();
    } finally {
      await browser.close();
      server.close();
    }
  }, 120_000);
});
