// The dashboard at scale: one study of 10,000 trials × 50 epochs in SQLite, written through the Storage API as a
// search would; then API latency in-process and over loopback, and the study page's draw time in headless Chromium.
// Run: npm run build && node dist/bench/dashboard.js [--trials 10000] [--epochs 50] [--requests 20] [--db file.db]
// With --db an existing file is reused (generation skipped), so profiling runs need not regenerate it.
import { serve } from '@hono/node-server';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dashboardApp } from '../src/server/dashboard-app.js';
import { defaultAllowedHosts } from '../src/server/guards.js';
import { openStorage, type Storage } from '../src/storage/index.js';

const { values: args } = parseArgs({
  options: {
    trials: { type: 'string', default: '10000' },
    epochs: { type: 'string', default: '50' },
    requests: { type: 'string', default: '20' },
    db: { type: 'string' },
    browser: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const TRIALS = Number(args.trials);
const EPOCHS = Number(args.epochs);
const REQUESTS = Number(args.requests);
const STUDY = 'scale';
const TOKEN = 'bench-token-0123456789abcdef';

// mulberry32: a seeded generator, so every run writes the same study.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function generate(storage: Storage): Promise<void> {
  const random = rng(42);
  const study = await storage.createStudy({
    name: STUDY,
    directions: ['minimize'],
    config: { name: STUDY, objective: { metric: 'val_loss', direction: 'minimize' }, search: { sampler: 'tpe', scheduler: { type: 'asha', eta: 3 } } },
  });
  const optimizers = ['adam', 'sgd', 'rmsprop'];
  const activations = ['relu', 'tanh', 'gelu'];
  for (let i = 0; i < TRIALS; i++) {
    const lr = 10 ** (-5 + 4 * random());
    const dropout = 0.5 * random();
    const units = 16 + Math.floor(random() * 497);
    const layers = 1 + Math.floor(random() * 4);
    const optimizer = optimizers[Math.floor(random() * 3)] as string;
    const activation = activations[Math.floor(random() * 3)] as string;
    const trial = await storage.createTrial(study.id, {
      state: 'running',
      params: { lr, dropout, units, layers, optimizer, activation },
      distributions: {
        lr: { kind: 'float', low: 1e-5, high: 0.1, log: true },
        dropout: { kind: 'float', low: 0, high: 0.5, log: false },
        units: { kind: 'int', low: 16, high: 512, log: false, step: 1 },
        layers: { kind: 'int', low: 1, high: 4, log: false, step: 1 },
        optimizer: { kind: 'categorical', choices: optimizers },
        activation: { kind: 'categorical', choices: activations },
      },
      seed: i,
    });
    // The final loss depends mostly on lr, some on dropout and the optimizer, plus noise.
    const final = 0.05 + (Math.log10(lr) + 2.5) ** 2 / 4 + dropout / 5 + (optimizer === 'sgd' ? 0.1 : 0) + random() / 20;
    let valLoss = final;
    for (let e = 1; e <= EPOCHS; e++) {
      valLoss = final + 2 / e + random() / 50;
      await storage.recordStep(trial.id, e, { loss: final * 0.8 + 1.5 / e, val_loss: valLoss, val_accuracy: Math.max(0, 1 - valLoss / 3) });
    }
    const roll = random();
    if (roll < 0.03) await storage.finishTrial(trial.id, { state: 'failed', reason: 'out of memory' });
    else if (roll < 0.15) await storage.finishTrial(trial.id, { state: 'pruned', values: [valLoss], reason: 'asha rung 2' });
    else await storage.finishTrial(trial.id, { state: 'complete', values: [valLoss], metrics: { val_loss: valLoss }, backend: 'wasm' });
  }
}

const quantile = (xs: readonly number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
};

const ENDPOINTS: readonly (readonly [string, string])[] = [
  ['studies list', '/api/studies'],
  ['study', `/api/studies/${STUDY}`],
  ['trials page (sort=value, limit=100)', `/api/studies/${STUDY}/trials?sort=value&limit=100`],
  ['trials page (parallel chart: complete, sort=value, limit=300)', `/api/studies/${STUDY}/trials?state=complete&sort=value&limit=300`],
  ['history', `/api/studies/${STUDY}/history`],
  ['learning curves', `/api/studies/${STUDY}/curves`],
  ['parameter importance', `/api/studies/${STUDY}/importance`],
];

async function timeRequests(send: (path: string) => Promise<Response>): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const [label, path] of ENDPOINTS) {
    const times: number[] = [];
    for (let i = 0; i <= REQUESTS; i++) {
      const started = performance.now();
      const res = await send(path);
      const body = await res.text();
      const ms = performance.now() - started;
      if (!res.ok) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
      if (i > 0) times.push(ms); // the first request warms up the JIT and SQLite's page cache
    }
    out.set(label, times);
  }
  return out;
}

/** Milliseconds from starting navigation to the study page to its charts being drawn, per run. */
async function pageDraw(origin: string, runs: number): Promise<{ wall: number[]; inPage: number[]; canvases: number }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: args.browser, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/?token=${TOKEN}`);
    await page.waitForSelector('#studies tbody tr');
    const wall: number[] = [];
    const inPage: number[] = [];
    let canvases = 0;
    for (let run = 0; run <= runs; run++) {
      await page.goto('about:blank');
      const started = performance.now();
      await page.goto(`${origin}/#/study/${STUDY}`);
      await page.waitForSelector('main[data-ready="study"]', { timeout: 60_000 });
      const drawnAt = Number(await page.locator('main').getAttribute('data-ready-at'));
      if (run > 0) {
        wall.push(performance.now() - started);
        inPage.push(drawnAt);
      }
      canvases = await page.locator('main canvas').count();
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    return { wall, inPage, canvases };
  } finally {
    await browser.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'autotune-dashbench-'));
const file = args.db ?? join(dir, 'dashboard.db');
try {
  const fresh = !existsSync(file);
  const storage = await openStorage(`sqlite:${file}`);
  if (fresh) {
    const started = performance.now();
    await generate(storage);
    console.log(`generated ${TRIALS} trials × ${EPOCHS} epochs through the Storage API in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const app = dashboardApp({ storage, token: TOKEN, allowedHosts: defaultAllowedHosts(port) });
  const origin = `http://127.0.0.1:${port}`;
  const headers = { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN}` };
  const inProcess = await timeRequests(async (path) => app.request(`${origin}${path}`, { headers }));
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  try {
    const loopback = await timeRequests((path) => fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } }));
    const f = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(`\nAPI latency over ${REQUESTS} requests each, median / p95 (in-process app.request; loopback HTTP):`);
    console.log('| endpoint | in-process median | in-process p95 | loopback median | loopback p95 |\n|---|---|---|---|---|');
    for (const [label] of ENDPOINTS) {
      const a = inProcess.get(label) ?? [];
      const b = loopback.get(label) ?? [];
      console.log(`| ${label} | ${f(quantile(a, 0.5))} | ${f(quantile(a, 0.95))} | ${f(quantile(b, 0.5))} | ${f(quantile(b, 0.95))} |`);
    }
    if (existsSync(args.browser)) {
      const draw = await pageDraw(origin, 5);
      console.log(`\nstudy page drawn (${draw.canvases} canvases), 5 loads: median ${f(quantile(draw.wall, 0.5))}, max ${f(Math.max(...draw.wall))} from navigation in Node; in-page performance.now() at draw: median ${f(quantile(draw.inPage, 0.5))}`);
    } else console.log(`\nno browser at ${args.browser}: page draw time skipped`);
  } finally {
    server.close();
    await storage.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
