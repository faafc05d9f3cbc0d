import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../src/data/read.js';
import { freePort } from '../helpers/browser.js';
import { CLI, runCli } from '../helpers/cli.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const IRIS = repoPath('datasets/iris.csv');
const STUDY = {
  name: 'iris-flow',
  data: { source: IRIS, target: 'species', task: 'classification' },
  objective: { metric: 'val_accuracy', direction: 'maximize' },
  search: { sampler: 'random', trials: 3, parallelism: 1, seed: 6 },
  training: { epochs: 6, keepArtifacts: 3 },
  space: { layers: 1, units: { choice: [8, 16] }, learningRate: { float: [0.02, 0.1], log: true } },
};

describe('from a study to a served model, on the command line', () => {
  const dir = useTempDir();

  it('run → ensemble → export --ensemble → predict → serve: the server predicts what predict printed', async () => {
    const study = join(dir(), 'flow.json');
    const db = join(dir(), 'flow.db');
    const out = join(dir(), 'model');
    writeFileSync(study, JSON.stringify(STUDY));
    const ran = runCli(['run', study, '--storage', db, '--quiet']);
    expect(ran.code, ran.stderr).toBe(0);
    const ensemble = runCli(['ensemble', 'iris-flow', '--storage', db, '--method', 'average', '--size', '2']);
    expect(ensemble.code, ensemble.stderr).toBe(0);
    const exported = runCli(['export', 'iris-flow', '--ensemble', '--out', out, '--storage', db]);
    expect(exported.code, exported.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'autotune.json'), 'utf8')) as { selection: string; members: unknown[] };
    expect(manifest).toMatchObject({ selection: 'ensemble' });
    expect(manifest.members).toHaveLength(2);

    const predicted = runCli(['predict', out, IRIS]);
    expect(predicted.code, predicted.stderr).toBe(0);
    const [header, ...labels] = predicted.stdout.trim().split('\n');
    const table = readTable(IRIS);
    expect(header).toBe('prediction');
    expect(labels).toHaveLength(table.rows.length);
    // A trained ensemble, not a constant: it names more than one species, and mostly the right one.
    const target = table.columns.indexOf('species');
    expect(new Set(labels).size).toBeGreaterThan(1);
    expect(labels.filter((label, i) => label === table.rows[i]?.[target]).length / labels.length).toBeGreaterThan(0.6);

    const port = await freePort();
    const server = spawn(process.execPath, [CLI, 'serve', out, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('serving') && resolve());
        server.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const rows = table.rows.slice(0, 12).map((row) => Object.fromEntries(table.columns.map((name, i) => [name, row[i]] as const)));
      const response = await fetch(`http://127.0.0.1:${port}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rows }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { predictions: unknown[] }).predictions).toEqual(labels.slice(0, 12));
    } finally {
      server.kill();
    }
  }, 60_000);
});
