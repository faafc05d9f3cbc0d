// The dashboard at scale: one study of 10,000 trials × 50 epochs, written through the Storage API as a search
// would; then API latency in-process and over loopback, and the study page's draw time in headless Chromium.
// Run: npm run build && node dist/bench/dashboard.js [--trials 10000] [--epochs 50] [--requests 20] [--db file.db]
//        [--storage sqlite|postgres|postgres://…]
// With --db an existing file is reused (generation skipped), so profiling runs need not regenerate it. `--storage
// postgres` (npm run bench:dashboard:postgres) measures on PostgreSQL: an embedded server, or
// AUTOTUNE_BENCH_POSTGRES_URL's; a postgres:// URL is used as given, and a study already there is reused. On
// PostgreSQL the steps are written in bulk (bench/postgres-bulk-steps.ts) and commits do not wait for the disk
// while generating: 500,000 recordStep transactions would take most of the run; reads are measured as usual.
import { serve } from '@hono/node-server';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Metrics, TrialRecord } from '../src/core/types.js';
import { dashboardApp } from '../src/server/dashboard-app.js';
import { defaultAllowedHosts } from '../src/server/guards.js';
import { isPostgresUrl, openStorage, type Storage } from '../src/storage/index.js';
import { load1, machineLine } from './machine.js';
import { writeStepsInBulk, type BulkStep } from './postgres-bulk-steps.js';
import { startBenchServer, withoutCommitWait, type BenchServer } from './postgres-server.js';

const { values: args } = parseArgs({
  options: {
    trials: { type: 'string', default: '10000' },
    epochs: { type: 'string', default: '50' },
    requests: { type: 'string', default: '20' },
    db: { type: 'string' },
    storage: { type: 'string', default: 'sqlite' },
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

/** How a batch of trials' steps is written: one recordStep each, or in bulk. */
type StepWriter = (studyId: number, steps: readonly BulkStep[]) => Promise<void>;

const recordEach =
  (storage: Storage): StepWriter =>
  async (_studyId, steps) => {
    for (const s of steps) await storage.recordStep(s.trialId, s.step, s.metrics);
  };

/** Trials created, their steps written, then finished, this many at a time (the bulk writer's batch). */
const BATCH = 200;

async function generate(storage: Storage, writeSteps: StepWriter = recordEach(storage)): Promise<void> {
  const random = rng(42);
  const study = await storage.createStudy({
    name: STUDY,
    directions: ['minimize'],
    config: {
      name: STUDY,
      objective: { metric: 'val_loss', direction: 'minimize' },
      search: { sampler: 'tpe', scheduler: { type: 'asha', eta: 3 } },
    },
  });
  const optimizers = ['adam', 'sgd', 'rmsprop'];
  const activations = ['relu', 'tanh', 'gelu'];
  for (let first = 0; first < TRIALS; first += BATCH) {
    // Drawn in trial order whatever the batch, so every run and every storage gets the same study.
    const plans = [];
    for (let i = first; i < Math.min(TRIALS, first + BATCH); i++) {
      const lr = 10 ** (-5 + 4 * random());
      const dropout = 0.5 * random();
      const units = 16 + Math.floor(random() * 497);
      const layers = 1 + Math.floor(random() * 4);
      const optimizer = optimizers[Math.floor(random() * 3)] as string;
      const activation = activations[Math.floor(random() * 3)] as string;
      // The final loss depends mostly on lr, some on dropout and the optimizer, plus noise.
      const final = 0.05 + (Math.log10(lr) + 2.5) ** 2 / 4 + dropout / 5 + (optimizer === 'sgd' ? 0.1 : 0) + random() / 20;
      let valLoss = final;
      const steps: Metrics[] = [];
      for (let e = 1; e <= EPOCHS; e++) {
        valLoss = final + 2 / e + random() / 50;
        steps.push({ loss: final * 0.8 + 1.5 / e, val_loss: valLoss, val_accuracy: Math.max(0, 1 - valLoss / 3) });
      }
      plans.push({ i, params: { lr, dropout, units, layers, optimizer, activation }, steps, valLoss, roll: random() });
    }
    const trials: TrialRecord[] = [];
    for (const plan of plans) {
      trials.push(
        await storage.createTrial(study.id, {
          state: 'running',
          params: plan.params,
          distributions: {
            lr: { kind: 'float', low: 1e-5, high: 0.1, log: true },
            dropout: { kind: 'float', low: 0, high: 0.5, log: false },
            units: { kind: 'int', low: 16, high: 512, log: false, step: 1 },
            layers: { kind: 'int', low: 1, high: 4, log: false, step: 1 },
            optimizer: { kind: 'categorical', choices: optimizers },
            activation: { kind: 'categorical', choices: activations },
          },
          seed: plan.i,
        }),
      );
    }
    await writeSteps(
      study.id,
      plans.flatMap((plan, k) => plan.steps.map((metrics, e) => ({ trialId: (trials[k] as TrialRecord).id, step: e + 1, metrics }))),
    );
    for (const [k, { roll, valLoss }] of plans.entries()) {
      const id = (trials[k] as TrialRecord).id;
      if (roll < 0.03) await storage.finishTrial(id, { state: 'failed', reason: 'out of memory' });
      else if (roll < 0.15) await storage.finishTrial(id, { state: 'pruned', values: [valLoss], reason: 'asha rung 2' });
      else await storage.finishTrial(id, { state: 'complete', values: [valLoss], metrics: { val_loss: valLoss }, backend: 'wasm' });
    }
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
  // The study page's other views, a trial's page and the exports: every GET route but the event stream.
  ['timeline', `/api/studies/${STUDY}/timeline`],
  ['space', `/api/studies/${STUDY}/space`],
  ['slices', `/api/studies/${STUDY}/slices`],
  ['heatmap', `/api/studies/${STUDY}/heatmap`],
  ['brackets (asha rungs)', `/api/studies/${STUDY}/brackets`],
  ['EDF', `/api/studies/${STUDY}/edf`],
  ['rank', `/api/studies/${STUDY}/rank`],
  ['compare (3 trials)', `/api/studies/${STUDY}/compare?trials=10,20,30`],
  ['note', `/api/studies/${STUDY}/note`],
  ['one trial (steps, artifacts)', `/api/studies/${STUDY}/trials/${Math.floor(TRIALS / 2)}`],
  ['trials.csv (every trial)', `/api/studies/${STUDY}/trials.csv`],
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

/**
 * The storage to measure, generated when new: a SQLite file, or a PostgreSQL database. While generating on
 * PostgreSQL, commits do not wait for the disk (`synchronous_commit=off` on the generating connections only).
 */
async function prepare(dir: string, server: BenchServer | null): Promise<{ storage: Storage; description: string }> {
  const generated = (started: number, how: string) =>
    console.log(`generated ${TRIALS} trials × ${EPOCHS} epochs ${how} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (!isPostgresUrl(args.storage) && args.storage !== 'postgres') {
    const file = args.db ?? join(dir, 'dashboard.db');
    const fresh = !existsSync(file);
    const storage = await openStorage(`sqlite:${file}`);
    const started = performance.now();
    if (fresh) await generate(storage);
    if (fresh) generated(started, 'through the Storage API');
    return { storage, description: 'SQLite file (WAL)' };
  }
  const url = server ? await server.database() : args.storage;
  const noWait = withoutCommitWait(url);
  const writer = await openStorage(noWait);
  if (!(await writer.findStudy(STUDY))) {
    const client = new pg.Client({ connectionString: noWait });
    await client.connect();
    try {
      const started = performance.now();
      await generate(writer, (studyId, steps) => writeStepsInBulk(client, studyId, steps));
      // What autovacuum would have done by the time anyone looks at a study this size: without statistics the
      // planner guesses, and the first minute of measurements would compete with the daemon doing it.
      await client.query('VACUUM ANALYZE');
      generated(started, 'through the Storage API (steps in bulk, then VACUUM ANALYZE)');
    } finally {
      await client.end();
    }
  }
  await writer.close();
  return { storage: await openStorage(url), description: server?.description ?? 'PostgreSQL' };
}

const loadAtStart = load1();
const dir = mkdtempSync(join(tmpdir(), 'autotune-dashbench-'));
const pgServer = args.storage === 'postgres' ? await startBenchServer() : null;
try {
  const { storage, description } = await prepare(dir, pgServer);
  console.log(`storage: ${description}`);

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
    const slow = ENDPOINTS.filter(
      ([label]) => Math.max(quantile(inProcess.get(label) ?? [], 0.5), quantile(loopback.get(label) ?? [], 0.5)) >= 100,
    );
    console.log(`\ngoal, every median under 100 ms: ${slow.length === 0 ? 'met' : `missed by ${slow.map(([label]) => label).join(', ')}`}`);
    if (existsSync(args.browser)) {
      const draw = await pageDraw(origin, 5);
      console.log(
        `\nstudy page drawn (${draw.canvases} canvases), 5 loads: median ${f(quantile(draw.wall, 0.5))}, max ${f(Math.max(...draw.wall))} from navigation in Node; in-page performance.now() at draw: median ${f(quantile(draw.inPage, 0.5))}`,
      );
    } else console.log(`\nno browser at ${args.browser}: page draw time skipped`);
    console.log(`\n${machineLine(loadAtStart)}.`);
  } finally {
    server.close();
    await storage.close();
  }
} finally {
  await pgServer?.release();
  rmSync(dir, { recursive: true, force: true });
}
