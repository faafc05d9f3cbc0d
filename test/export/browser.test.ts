import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toStudyInput, type AutotuneOptions } from '../../src/api/options.js';
import { prepareDataset } from '../../src/data/prepare.js';
import { readTable } from '../../src/data/read.js';
import { transformRows, type FittedPreprocessing, type RawRow } from '../../src/data/fitted-preprocessing.js';
import { autotune, exportStudy, loadModel, openStorage } from '../../src/index.js';
import { parseStudy } from '../../src/space/index.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const CHROMIUM = '/usr/bin/chromium';
const TFJS = repoPath('node_modules/@tensorflow/tfjs/dist/tf.fesm.min.js');
const available = existsSync(CHROMIUM);
const title = available
  ? 'exports in a browser (headless Chromium)'
  : `exports in a browser — skipped: ${CHROMIUM} is not installed (npm test's pretest installs it when run as root with apt-get)`;

// A page that loads the browser build of tfjs and an export's own custom-layer module, as a web app would.
const PAGE = `<!doctype html><script type="module">
import * as tf from '/tf.js';
// The cpu backend computes in float32 like Node; headless WebGL may be software-emulated or half precision.
await tf.setBackend('cpu');
// Failures come back as text: a browser stack trace thrown into vitest trips its source-map lookup.
globalThis.predict = async (exportDir, member, x, shape) => {
  try {
    const { registerAutotuneLayers } = await import(exportDir + '/autotune-layers.js');
    registerAutotuneLayers(tf);
    const model = await tf.loadLayersModel(exportDir + '/' + member + '/model.json');
    const y = model.predict(tf.tensor(x, shape));
    return { outputs: Array.from(await y.data()) };
  } catch (error) {
    return { error: String(error?.message ?? error) };
  }
};
globalThis.ready = true;
</script>`;

type BrowserPredict = (exportDir: string, member: string, x: number[], shape: number[]) => Promise<{ outputs?: number[]; error?: string }>;

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.json': 'application/json', '.bin': 'application/octet-stream' };

/** Serves the page, tfjs, and export directories under `/export/<name>/` — only files inside them. */
function serveExports(exports: Record<string, string>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const send = (status: number, body: string | Buffer, type = 'text/plain') => res.writeHead(status, { 'content-type': type }).end(body);
    if (path === '/') return send(200, PAGE, 'text/html');
    if (path === '/tf.js') return send(200, readFileSync(TFJS), TYPES['.js']);
    const match = /^\/export\/([^/]+)\/(.+)$/.exec(path);
    const root = match ? exports[match[1]!] : undefined;
    const file = root ? normalize(join(root, match![2]!)) : '';
    if (!root || !file.startsWith(`${root}/`) || !existsSync(file) || !statSync(file).isFile()) return send(404, 'not found');
    send(200, readFileSync(file), TYPES[extname(file)] ?? 'application/octet-stream');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

/** Runs a small study, exports its best trial, and picks raw rows from the study's held-out test split. */
async function studyExport(dir: string, options: AutotuneOptions, rows: number): Promise<{ out: string; raw: RawRow[] }> {
  const storage = join(dir, `${options.name}.db`);
  await autotune(options, { storage });
  const out = join(dir, options.name!);
  const opened = await openStorage(storage);
  await exportStudy(opened, { study: options.name!, what: 'best', out });
  await opened.close();

  const data = parseStudy(toStudyInput(options)).data!;
  const table = readTable(data.source);
  const test = prepareDataset(table, data, options.seed!).sourceRows!.test.slice(0, rows);
  const raw = test.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, table.rows[r]![i] as string])));
  return { out, raw };
}

describe.skipIf(!available)(title, () => {
  const dir = useTempDir();
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(() => browser?.close());

  it("loads a tabular MLP and a Transformer export with tfjs and the export's custom-layer module, predicting as Node does", async () => {
    const wine = await studyExport(
      dir(),
      {
        name: 'wine',
        data: { source: repoPath('datasets/wine.csv'), target: 'cultivar', task: 'classification' },
        training: { epochs: 8 },
        metric: 'val_loss',
        trials: 2,
        parallelism: 2,
        seed: 4,
        sampler: 'random',
        baselines: false,
        space: { layers: 1, units: { int: [8, 32] }, learningRate: 0.01 },
      },
      12,
    );
    const spam = await studyExport(
      dir(),
      {
        name: 'spam',
        data: {
          source: repoPath('datasets/spam_assassin.jsonl'),
          target: 'label',
          task: 'classification',
          features: ['text'],
          input: { kind: 'text', maxVocabulary: 2000, sequenceLength: 32 },
        },
        training: { epochs: 2 },
        metric: 'val_accuracy',
        direction: 'maximize',
        trials: 1,
        seed: 2,
        sampler: 'random',
        baselines: false,
        space: { model: { choice: { transformer: { embedDim: 16, heads: 2, blocks: 1, ffUnits: 16 } } }, learningRate: 0.003 },
      },
      12,
    );

    const { server, url } = await serveExports({ wine: wine.out, spam: spam.out });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      await page
        .waitForFunction(() => (globalThis as { ready?: boolean }).ready === true, undefined, { timeout: 30_000 })
        .catch(() => {
          throw new Error(`the test page did not load tfjs: ${errors.join('; ') || 'no page error'}`);
        });

      for (const [name, { out, raw }] of Object.entries({ wine, spam })) {
        const predictor = await loadModel(out);
        const member = predictor.manifest.members[0]!;
        if (name === 'spam') expect(member.architecture).toBe('transformer');
        const expected = predictor.predictProba(raw).flat();
        predictor.dispose();
        const pre = JSON.parse(readFileSync(join(out, member.path, 'preprocessing.json'), 'utf8')) as FittedPreprocessing;
        const x = Array.from(transformRows(pre, raw));
        const shape = [raw.length, ...pre.inputShape];
        const result = await page.evaluate(
          ([exportDir, path, input, dims]) => (globalThis as unknown as { predict: BrowserPredict }).predict(exportDir, path, input, dims),
          [`/export/${name}`, member.path, x, shape] as const,
        );
        expect(result.error, `${name} in the browser`).toBeUndefined();
        const actual = result.outputs!;
        expect(actual, name).toHaveLength(expected.length);
        actual.forEach((p, i) => expect(Math.abs(p - (expected[i] as number)), `${name} output ${i}`).toBeLessThan(1e-4));
      }
      expect(errors).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
