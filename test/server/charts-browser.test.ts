import { serve } from '@hono/node-server';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { dashboardApp } from '../../src/server/dashboard-app.js';
import { defaultAllowedHosts } from '../../src/server/guards.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { TOKEN } from './seed.js';
import { ARTIFACTS, browserSuite, CHROMIUM, CHROMIUM_INSTALLED, freePort } from '../helpers/browser.js';

// Ten minutes ago: the running trial's bar ends now.
const START = Date.now() - 600_000;

/**
 * A maximized Hyperband study as a training search records it: integer and categorical parameters, epochs reporting
 * loss and accuracy next to samples_per_second in the thousands, trials overlapping on two workers (the clock is set
 * per event), every state, and an ensemble that ties the best single trial.
 */
async function seedTraining(storage: MemoryStorage): Promise<void> {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(START);
    const study = await storage.createStudy({
      name: 'digits',
      directions: ['maximize'],
      config: {
        objective: { metric: 'val_accuracy', direction: 'maximize' },
        search: { sampler: 'tpe', scheduler: { type: 'hyperband', eta: 3 } },
      },
    });
    for (let i = 0; i < 30; i++) {
      const layers = 1 + ((i * 5) % 3);
      const units = [16, 32, 64, 128, 256][i % 5] as number;
      const lr = 10 ** (-4 + (3 * ((i * 7) % 11)) / 10);
      vi.setSystemTime(START + Math.floor(i / 2) * 10_000 + (i % 2) * 3_000);
      const trial = await storage.createTrial(study.id, {
        state: 'running',
        params: { layers, units, lr, activation: i % 3 ? 'relu' : 'tanh' },
        distributions: {
          layers: { kind: 'int', low: 1, high: 3, log: false, step: 1 },
          units: { kind: 'int', low: 16, high: 256, log: true, step: 1 },
          lr: { kind: 'float', low: 1e-4, high: 0.1, log: true },
          activation: { kind: 'categorical', choices: ['relu', 'tanh'] },
        },
        seed: i,
        systemAttrs: { bracket: i % 3 },
      });
      const final = 0.97 - 0.05 * (Math.log10(lr) + 2.5) ** 2 - 0.01 * layers;
      const pruned = i % 4 === 1;
      const epochs = pruned ? 3 : 9;
      for (let e = 1; e <= epochs; e++) {
        vi.setSystemTime(START + Math.floor(i / 2) * 10_000 + (i % 2) * 3_000 + e * 800);
        await storage.recordStep(trial.id, e, {
          loss: 0.1 + 1.5 / e,
          val_loss: 0.15 + 1.6 / e,
          accuracy: final - 0.3 / e + 0.01,
          val_accuracy: final - 0.3 / e,
          samples_per_second: 2800 + ((i * 131 + e * 17) % 600),
          learning_rate: lr,
          grad_norm: 1 + 3 / e,
        });
      }
      await storage.setTrialSystemAttr(trial.id, 'rung', pruned ? 0 : 1 + (i % 2));
      if (i === 29) continue;
      if (i % 9 === 8) await storage.finishTrial(trial.id, { state: 'failed', reason: 'out of memory' });
      else if (pruned) await storage.finishTrial(trial.id, { state: 'pruned', reason: 'rung 0' });
      else await storage.finishTrial(trial.id, { state: 'complete', values: [final], metrics: { val_accuracy: final } });
    }
    await storage.setStudySystemAttr(study.id, 'ensemble', {
      method: 'greedy',
      metric: 'val_accuracy',
      direction: 'maximize',
      members: [{ trial: 0, weight: 1 }],
      validationScore: 0.9,
      testScore: 0.91,
      bestSingle: { trial: 0, validationScore: 0.9, testScore: 0.9 },
      candidates: 10,
      createdAt: '2026-01-05',
    });
  } finally {
    vi.useRealTimers();
  }
}

/** Objective values at ±1e308 and a parameter sampled between 1e-300 and 1e-200. */
async function seedExtremes(storage: MemoryStorage): Promise<void> {
  const study = await storage.createStudy({ name: 'extremes', directions: ['minimize'], config: {} });
  for (let i = 0; i < 12; i++) {
    const tiny = 10 ** (-300 + (100 * ((i * 7) % 12)) / 11);
    const x = ((i * 5) % 12) / 12;
    const trial = await storage.createTrial(study.id, {
      state: 'running',
      params: { tiny, x },
      distributions: { tiny: { kind: 'float', low: 1e-300, high: 1e-200, log: true }, x: { kind: 'float', low: 0, high: 1, log: false } },
      seed: i,
    });
    await storage.finishTrial(trial.id, { state: 'complete', values: [(x > 0.5 ? 1 : -1) * (1e308 - i * 1e305)] });
  }
}

describe.skipIf(!CHROMIUM_INSTALLED)(browserSuite('dashboard charts as a person sees them'), () => {
  const storage = new MemoryStorage();
  let browser: Browser;
  let origin: string;
  let close: () => void;

  beforeAll(async () => {
    await seedTraining(storage);
    await seedExtremes(storage);
    const port = await freePort();
    const server = serve({
      fetch: dashboardApp({ storage, token: TOKEN, allowedHosts: defaultAllowedHosts(port) }).fetch,
      port,
      hostname: '127.0.0.1',
    });
    close = () => server.close();
    origin = `http://127.0.0.1:${port}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    close?.();
  });

  async function open(
    hash: string,
    options: { width?: number; colorScheme?: 'light' | 'dark' } = {},
  ): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({
      colorScheme: options.colorScheme ?? 'light',
      viewport: { width: options.width ?? 1200, height: 900 },
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(`${origin}/?token=${TOKEN}`);
    await page.waitForSelector('main[data-ready="studies"]');
    await page.goto(`${origin}/${hash}`);
    await page.waitForSelector(`main[data-ready="${hash.includes('/trial/') ? 'trial' : 'study'}"]`);
    return { page, errors };
  }

  /** Runs `body` in the page with the ECharts instance drawn in `selector` (the page's own module, so its instances). */
  function withChart<T>(page: Page, selector: string, body: string): Promise<T> {
    // A string, not a function: vitest would rewrite a dynamic import() in the function's source.
    return page.evaluate(`(async () => {
      const echarts = await import('/vendor/echarts.esm.min.js');
      const chart = echarts.getInstanceByDom(document.querySelector(${JSON.stringify(selector)}));
      ${body}
    })()`) as Promise<T>;
  }

  it('trial page: one chart per scale, a metric beside its val_ twin, samples per second on its own', { timeout: 60_000 }, async () => {
    for (const [colorScheme, width] of [
      ['light', 1200],
      ['dark', 390],
    ] as const) {
      const { page, errors } = await open('#/study/digits/trial/0', { colorScheme, width });
      const groups = await page
        .locator('[data-metrics]')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-metrics')?.split(',')));
      expect(groups).toEqual([['accuracy', 'grad_norm', 'loss', 'val_accuracy', 'val_loss'], ['learning_rate'], ['samples_per_second']]);
      // Each chart's y-axis spans its own metrics: loss (0.28–1.75) is not a flat line at the bottom of 0–3,000.
      const span = await withChart<[number, number]>(
        page,
        '[data-metrics^="accuracy"]',
        'return chart.getModel().getComponent("yAxis", 0).axis.scale.getExtent();',
      );
      expect(span[1]).toBeLessThan(10);
      await page
        .locator('section.card', { hasText: 'Metrics per epoch' })
        .screenshot({ path: join(ARTIFACTS, `trial-metrics-${colorScheme}-${width}.png`) });
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('study page: timeline in badge colours with a legend, parallel axes upright and in integers, brackets inside their card, a tied ensemble', {
    timeout: 60_000,
  }, async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, errors } = await open('#/study/digits', { colorScheme });
      const timeline = await withChart<{ legend: string[]; colours: Record<string, string> }>(
        page,
        '[aria-label="Trials per worker over time"]',
        `
        const o = chart.getOption();
        return { legend: o.legend[0].data, colours: Object.fromEntries(o.series.map((s) => [s.name, s.itemStyle.color])) };`,
      );
      expect(timeline.legend).toEqual(['complete', 'pruned', 'failed', 'running']);
      const badges = (await page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('#trials .state')].map((el) => [el.textContent, getComputedStyle(el).color]))",
      )) as Record<string, string>;
      for (const state of timeline.legend) expect(timeline.colours[state], state).toBe(badges[state]);

      // Maximizing: the best value (0.96) is at the top of the value axis, as on every other chart; layers has ticks 1, 2, 3.
      const parallel = await withChart<{ inverse: boolean; layers: string[]; layout: string }>(
        page,
        '[aria-label^="Parallel coordinates"]',
        `
        const m = chart.getModel();
        const axes = m.getComponent('parallel', 0).dimensions.map((d, i) => m.getComponent('parallelAxis', i));
        const byName = (n) => axes.find((a) => a.get('name') === n);
        return { inverse: byName('value').get('inverse'), layers: byName('layers').axis.getViewLabels().map((l) => l.formattedLabel), layout: m.getComponent('parallel', 0).get('layout') };`,
      );
      expect(parallel.inverse).toBe(false);
      expect(parallel.layers).toEqual(['1', '2', '3']);
      expect(parallel.layout).toBe('horizontal');

      // units is an integer over 16–256: its heatmap bins are integer ranges (16–31), not 16–19.6.
      const heatmap = await withChart<{ x: string[]; y: string[] }>(
        page,
        '[aria-label^="Mean objective over"]',
        'const o = chart.getOption(); return { x: o.xAxis[0].data, y: o.yAxis[0].data };',
      );
      const unitsBins = heatmap.y.length === 4 ? heatmap.y : heatmap.x;
      expect(unitsBins).toEqual(['16–31', '32–63', '64–127', '128–256']);

      const fits = await page.evaluate(
        "(() => { const table = document.getElementById('brackets'); return table.scrollWidth <= table.parentElement.clientWidth; })()",
      );
      expect(fits).toBe(true);
      expect(await page.locator('#ensemble tbody tr', { hasText: 'Ensemble vs best single' }).locator('td').allTextContents()).toEqual([
        'tie',
        'better by 0.01',
      ]);

      await page.screenshot({ path: join(ARTIFACTS, `charts-study-${colorScheme}.png`), fullPage: true });
      for (const [title, file] of [
        ['Parallel coordinates', 'parallel'],
        ['Timeline', 'timeline'],
        ['Hyperband brackets', 'brackets'],
      ]) {
        await page
          .locator('section.card', { hasText: title })
          .first()
          .screenshot({ path: join(ARTIFACTS, `charts-${file}-${colorScheme}.png`) });
      }
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('at 390 px parallel axes are stacked so their names and ticks do not collide, and tables fit their cards', {
    timeout: 60_000,
  }, async () => {
    const { page, errors } = await open('#/study/digits', { width: 390 });
    const layout = await withChart<string>(
      page,
      '[aria-label^="Parallel coordinates"]',
      'return chart.getModel().getComponent("parallel", 0).get("layout");',
    );
    expect(layout).toBe('vertical');
    // The brackets and ensemble tables fit a phone's card without a scroll bar.
    const fits = await page.evaluate(
      "['#brackets', '#ensemble table.scores'].map((sel) => { const t = document.querySelector(sel); return t.scrollWidth <= t.parentElement.clientWidth; })",
    );
    expect(fits).toEqual([true, true]);
    for (const [title, file] of [
      ['Parallel coordinates', 'parallel'],
      ['Timeline', 'timeline'],
      ['Hyperband brackets', 'brackets'],
      ['Two-parameter heatmap', 'heatmap'],
      ['Ensemble', 'ensemble'],
    ]) {
      await page
        .locator('section.card', { hasText: title })
        .first()
        .screenshot({ path: join(ARTIFACTS, `charts-${file}-390.png`) });
    }
    await page.screenshot({ path: join(ARTIFACTS, 'charts-study-390.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('objective values at ±1e308 are drawn, and log axes over 1e-300…1e-200 are labelled', { timeout: 60_000 }, async () => {
    const { page, errors } = await open('#/study/extremes');
    // Every history point lands inside the plot (with an infinite axis span they had no position: an empty chart).
    const inside = await withChart<boolean[]>(
      page,
      '[aria-label="Optimization history"]',
      `
      const o = chart.getOption();
      const { width, height } = chart.getDom().getBoundingClientRect();
      return o.series[0].data.map((p) => { const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, p); return x > 0 && x < width && y > 0 && y < height; });`,
    );
    expect(inside).toHaveLength(12);
    expect(inside.every(Boolean)).toBe(true);
    const bars = await withChart<number[]>(page, '[aria-label="Parameter importance"]', 'return chart.getOption().series[0].data;');
    expect(bars).toHaveLength(2);
    expect(bars.every((b) => b > 0 && b <= 1)).toBe(true);
    const ticks = await withChart<string[]>(
      page,
      '[aria-label^="Parallel coordinates"]',
      `
      const m = chart.getModel();
      return m.getComponent('parallelAxis', 0).axis.getViewLabels().map((l) => l.formattedLabel);`,
    );
    expect(ticks.length).toBeGreaterThan(2);
    expect(
      ticks.every((t) => /^1e-(2\d\d|300)$/.test(t)),
      ticks.join(' '),
    ).toBe(true);
    const sliceTicks = await withChart<string[]>(
      page,
      '[aria-label="Objective against tiny"]',
      'return chart.getModel().getComponent("xAxis", 0).axis.getViewLabels().map((l) => l.formattedLabel);',
    );
    expect(sliceTicks.length).toBeGreaterThan(1);
    expect(
      sliceTicks.every((t) => /^1e-(2\d\d|300)$/.test(t)),
      sliceTicks.join(' '),
    ).toBe(true);
    const valueTicks = await withChart<string[]>(
      page,
      '[aria-label^="Parallel coordinates"]',
      `
      const m = chart.getModel();
      return m.getComponent('parallelAxis', 2).axis.getViewLabels().map((l) => l.formattedLabel);`,
    );
    expect(valueTicks.length).toBeGreaterThan(2);
    expect(
      valueTicks.every((t) => /^(0|-?\d(\.\d+)?e307|-?\d(\.\d+)?e308)$/.test(t)),
      valueTicks.join(' '),
    ).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'charts-extremes.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a refused launch shows its message and no stray "null"', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/?token=${TOKEN}`);
    await page.waitForSelector('main[data-ready="studies"]');
    await page.getByLabel(/^Study file/).fill('{"name": "x"}');
    await page.getByRole('button', { name: 'Launch' }).click();
    const status = page.locator('.launch [role="status"]');
    await status.locator('.error').waitFor();
    expect(await status.textContent()).toBe('launching studies is disabled on this server');
    await context.close();
  });
});
