import { spawn, spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autotune, loadModel } from '../../src/index.js';
import { readTable } from '../../src/data/read.js';
import { MAX_FORECAST_STEPS, predictApp } from '../../src/server/predict-app.js';
import { servedHosts } from '../../src/server/guards.js';
import { freePort } from '../helpers/browser.js';
import { repoPath } from '../helpers/tmp.js';
import { CLI, runCli } from '../helpers/cli.js';

const cli = CLI;
const AIR = repoPath('datasets/air_passengers.csv');
const WINE = repoPath('datasets/wine.csv');

const run = runCli;

/** One line naming the problem, never a stack trace. */
function expectOneLine(stderr: string) {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

// One directory for the file: the exports are made once and every test below reads them.
const dir = mkdtempSync(join(tmpdir(), 'autotune-deploy-'));
const airModel = join(dir, 'air-model');
const wineModel = join(dir, 'wine-model');
const airValues = readTable(AIR).rows.map((r) => Number(r[1]));

beforeAll(async () => {
  const air = join(dir, 'air.db');
  await autotune(
    {
      name: 'air',
      data: {
        source: AIR,
        target: 'passengers',
        task: 'regression',
        targetTransform: 'log',
        input: { kind: 'series', lookback: 12, horizon: 12 },
      },
      metric: 'val_mape',
      trials: 2,
      seed: 3,
      runner: 'inline',
      space: { model: 'ridge', alpha: { float: [1e-4, 1e-1], log: true } },
    },
    { storage: air },
  );
  expect(run(['export', 'air', '--storage', air, '--out', airModel]).code).toBe(0);
  const wine = join(dir, 'wine.db');
  await autotune(
    {
      name: 'wine',
      data: { source: WINE, target: 'cultivar', task: 'classification' },
      training: { epochs: 3 },
      metric: 'val_loss',
      trials: 1,
      seed: 3,
      // One trial, trial 0, is what `export` picks: the part-way failure below removes its weights.
      baselines: false,
      runner: 'inline',
      space: { layers: 0, learningRate: 0.01 },
    },
    { storage: wine },
  );
  expect(run(['export', 'wine', '--storage', wine, '--out', wineModel]).code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('predict on a series export from the command line', () => {
  it('reads the original series CSV (the last lookback values are the input) and forecasts --horizon steps recursively', async () => {
    const model = await loadModel(airModel);
    const expected = model.forecast([airValues], 3)[0]!;
    expect(model.predict([airValues])[0]).toBeCloseTo(expected[0]!, 4);
    model.dispose();

    const one = run(['predict', airModel, AIR]);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    const [header, value, ...rest] = one.stdout.trim().split('\n');
    expect(header).toBe('prediction');
    expect(rest).toHaveLength(0);
    expect(Number(value)).toBeCloseTo(expected[0]!, 3);
    // A plausible next month after 432 passengers in 1960-12 (the model is fitted in log space).
    expect(Number(value)).toBeGreaterThan(350);
    expect(Number(value)).toBeLessThan(550);

    const three = run(['predict', airModel, AIR, '--horizon', '3']);
    expect(three.code).toBe(0);
    const lines = three.stdout.trim().split('\n');
    expect(lines[0]).toBe('t+1,t+2,t+3');
    lines[1]!.split(',').forEach((v, i) => expect(Number(v)).toBeCloseTo(expected[i]!, 3));
    // Whoever receives the export learns the row format from its own README.
    expect(readFileSync(join(airModel, 'README.md'), 'utf8')).toContain('--horizon 12');
  });

  it('reads one series per row from JSON Lines array fields and from quoted CSV cells', async () => {
    const model = await loadModel(airModel);
    const windows = [airValues.slice(0, 30), airValues.slice(50, 80), airValues];
    const expected = model.predict(windows) as number[];
    model.dispose();
    const jsonl = join(dir, 'windows.jsonl');
    writeFileSync(jsonl, `${windows.map((w) => JSON.stringify({ passengers: w })).join('\n')}\n`);
    const fromJson = run(['predict', airModel, jsonl]);
    expect(fromJson.stderr).toBe('');
    expect(fromJson.stdout.trim().split('\n').slice(1).map(Number)).toEqual(expected.map((v) => expect.closeTo(v, 3)));
    const csv = join(dir, 'windows.csv');
    writeFileSync(csv, `passengers\n${windows.map((w) => `"${JSON.stringify(w)}"`).join('\n')}\n`);
    const fromCsv = run(['predict', airModel, csv]);
    expect(fromCsv.stdout).toBe(fromJson.stdout);
  });

  it('names the line and column of a bad row, exits 2 and leaves no --out file', () => {
    const jsonl = join(dir, 'short.jsonl');
    writeFileSync(jsonl, `${JSON.stringify({ passengers: airValues.slice(0, 20) })}\n${JSON.stringify({ passengers: [1, 2, 3] })}\n`);
    const out = join(dir, 'short-predictions.csv');
    const short = run(['predict', airModel, jsonl, '--out', out]);
    expect(short.code).toBe(2);
    expectOneLine(short.stderr);
    expect(short.stderr).toContain(`${jsonl}: line 2: column "passengers" needs the last 12 values, got 3`);
    expect(existsSync(out)).toBe(false);

    const csv = join(dir, 'stray.csv');
    writeFileSync(csv, `month,passengers\n1949-01,112\n1949-02,many\n`);
    const stray = run(['predict', airModel, csv, '--out', out]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain(`${csv}: line 3, column "passengers": expected a number, got "many"`);
    expect(existsSync(out)).toBe(false);
  });

  it('writes --out only when every row was predicted, and refuses --horizon on a table export', () => {
    const out = join(dir, 'air-predictions.csv');
    expect(run(['predict', airModel, AIR, '--out', out, '--horizon', '2']).code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('t+1,t+2');
    const nowhere = run(['predict', airModel, AIR, '--out', join(dir, 'no-such-dir', 'p.csv')]);
    expect(nowhere.code).toBe(2);
    expectOneLine(nowhere.stderr);
    expect(nowhere.stderr).toContain(`--out ${join(dir, 'no-such-dir', 'p.csv')}: cannot write there (ENOENT)`);
    const onDir = run(['predict', airModel, AIR, '--out', airModel]);
    expect(onDir.code).toBe(2);
    expect(onDir.stderr).toContain(`--out ${airModel}: cannot write there (EISDIR)`);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
    const refused = run(['predict', wineModel, WINE, '--horizon', '2']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--horizon:');
    expect(refused.stdout).toBe('');
  });
});

describe('one-line errors instead of stack traces', () => {
  it('ends predict quietly with exit 0 when the reader closes the pipe (predict | head)', () => {
    const big = join(dir, 'big.csv');
    const table = readFileSync(WINE, 'utf8').trimEnd().split('\n');
    // About 20,000 prediction lines: far more than a pipe buffers, so predict is still writing when head exits.
    writeFileSync(big, `${[table[0], ...Array.from({ length: 110 }, () => table.slice(1)).flat()].join('\n')}\n`);
    const result = spawnSync(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" "${cli}" predict "${wineModel}" "${big}" | head -n 3`],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('prediction');
  });

  it('refuses a busy port for serve in one line (exit 2)', async () => {
    const busy = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    const { port } = busy.address() as AddressInfo;
    try {
      const result = spawnSync(process.execPath, [cli, 'serve', wineModel, '--port', String(port)], { encoding: 'utf8', timeout: 60_000 });
      expect(result.status).toBe(2);
      expectOneLine(result.stderr);
      expect(result.stderr).toContain(`serve: cannot listen on 127.0.0.1:${port} (EADDRINUSE`);
    } finally {
      await new Promise((done) => busy.close(done));
    }
  });

  it('refuses export --out onto an existing file in one line (exit 2) and leaves the file as it was', () => {
    const file = join(dir, 'taken.txt');
    writeFileSync(file, 'keep me');
    const result = run(['export', 'wine', '--storage', join(dir, 'wine.db'), '--out', file]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain(`--out ${file}: is a file; the export directory must be new or empty`);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    const below = run(['export', 'wine', '--storage', join(dir, 'wine.db'), '--out', join(file, 'model')]);
    expect(below.code).toBe(2);
    expect(below.stderr).toContain('a parent of it is a file');
  });

  it('leaves no export directory, no parent it made, and nothing beside it, when an export fails part-way', () => {
    const trialDir = join(`${join(dir, 'wine.db')}-artifacts`, 'wine', 'trial-0');
    rmSync(join(trialDir, 'weights.bin'));
    const parent = join(dir, 'exports');
    const result = run(['export', 'wine', '--storage', join(dir, 'wine.db'), '--out', join(parent, 'model')]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain(`${join(trialDir, 'weights.bin')}: missing`);
    expect(existsSync(parent)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });
});

/** GET `path` on 127.0.0.1:port with the given Host header; resolves to the status. */
function statusFor(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve keeps the dashboard guards', () => {
  it('answers over HTTP only the names it serves under, and those added with --allow-host', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [cli, 'serve', airModel, '--port', String(port), '--allow-host', 'models.internal:8080'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('serving') && resolve());
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      expect(await statusFor(port, '/model', `127.0.0.1:${port}`)).toBe(200);
      expect(await statusFor(port, '/model', 'models.internal:8080')).toBe(200);
      expect(await statusFor(port, '/model', 'evil.example')).toBe(403);
      expect(await statusFor(port, '/health', `evil.example:${port}`)).toBe(403);
    } finally {
      child.kill();
    }
  });

  it('refuses a foreign Host on every route and a content type that is not exactly JSON, and forecasts a horizon per row', async () => {
    const model = await loadModel(airModel);
    const app = predictApp(model, { allowedHosts: servedHosts('127.0.0.1', 8080) });
    const body = JSON.stringify({ rows: [airValues] });
    const post = (host: string, type: string, payload = body) =>
      app.request('http://127.0.0.1:8080/predict', { method: 'POST', headers: { host, 'content-type': type }, body: payload });
    expect((await post('evil.example', 'application/json')).status).toBe(403);
    expect((await app.request('http://127.0.0.1:8080/model', { headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await app.request('http://127.0.0.1:8080/health', { headers: { host: 'evil.example:8080' } })).status).toBe(403);
    expect((await post('127.0.0.1:8080', 'application/jsonx')).status).toBe(415);
    expect((await post('localhost:8080', 'application/json; charset=utf-8')).status).toBe(200);
    expect((await app.request('http://127.0.0.1:8080/model', { headers: { host: 'localhost:8080' } })).status).toBe(200);

    const forecast = await post(
      '127.0.0.1:8080',
      'application/json',
      JSON.stringify({ rows: [airValues, { passengers: airValues.slice(0, 40) }], horizon: 4 }),
    );
    const { predictions } = (await forecast.json()) as { predictions: number[][] };
    const expected = model.forecast([airValues, airValues.slice(0, 40)], 4);
    expect(predictions).toHaveLength(2);
    predictions.flat().forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i]!, 4));
    // Each step feeds the previous forecast back: the first step is the one-step prediction.
    expect(expected[1]![0]).toBeCloseTo(model.predict([airValues.slice(0, 40)])[0] as number, 4);
    expect(expected[1]![1]).toBeCloseTo(model.predict([[...airValues.slice(0, 40), expected[1]![0]!]])[0] as number, 4);
    // serve --horizon N: requests that name no horizon get N steps per row.
    const stepped = predictApp(model, { allowedHosts: servedHosts('127.0.0.1', 8080), horizon: 2 });
    const answer = await stepped.request('http://127.0.0.1:8080/predict', {
      method: 'POST',
      headers: { host: '127.0.0.1:8080', 'content-type': 'application/json' },
      body,
    });
    expect(((await answer.json()) as { predictions: number[][] }).predictions[0]).toEqual(
      model.forecast([airValues], 2)[0]!.map((v) => expect.closeTo(v, 4)),
    );
    // A request may not hold the server for minutes: rows × horizon is bounded before anything is forecast.
    const tooMuch = await post(
      '127.0.0.1:8080',
      'application/json',
      JSON.stringify({ rows: Array.from({ length: 11 }, () => airValues), horizon: 10_000 }),
    );
    expect(tooMuch.status).toBe(413);
    expect(((await tooMuch.json()) as { error: string }).error).toContain(`at most ${MAX_FORECAST_STEPS} forecast steps`);
    model.dispose();
  });
});
