import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrialPredictions } from '../../src/artifacts/trial-artifacts.js';
import { combine } from '../../src/ensemble/index.js';
import { readTable } from '../../src/data/read.js';
import { prepareDataset } from '../../src/data/prepare.js';
import { autotune, exportStudy, loadModel, openStorage, type StoredEnsemble } from '../../src/index.js';
import { predictApp } from '../../src/server/predict-app.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const WINE = repoPath('datasets/wine.csv');

/** A small wine study whose ensemble, export and predictor the tests below check against each other. */
async function wineStudy(dir: string) {
  const storage = join(dir, 'wine.db');
  const result = await autotune(
    {
      name: 'wine-export',
      data: { source: WINE, target: 'cultivar', task: 'classification' },
      training: { epochs: 12, keepArtifacts: 5 },
      ensemble: { method: 'greedy', size: 10 },
      metric: 'val_loss',
      direction: 'minimize',
      trials: 7,
      parallelism: 2,
      seed: 4,
      sampler: 'random',
      space: { layers: { int: [0, 2] }, units: { int: [4, 48], log: true }, learningRate: { float: [1e-3, 5e-2], log: true } },
    },
    { storage },
  );
  return { storage, result };
}

/** The raw held-out test rows of the study's split, as objects keyed by column name. */
function heldOutRows(): { rows: Record<string, string>[]; labels: string[] } {
  const table = readTable(WINE);
  const dataset = prepareDataset(
    table,
    {
      source: WINE,
      target: 'cultivar',
      task: 'classification',
      input: { kind: 'tabular' },
      preprocessing: {
        deduplicate: false,
        impute: 'median',
        missingIndicators: true,
        encoding: 'onehot',
        maxCategories: 50,
        scaling: 'standard',
      },
      targetTransform: 'none',
      split: { validation: 0.15, test: 0.15, stratify: true },
      maxRows: 1_000_000,
      maxBytes: 512 * 1024 * 1024,
    },
    4,
  );
  const target = table.columns.indexOf('cultivar');
  const test = dataset.sourceRows!.test;
  return {
    rows: test.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, table.rows[r]![i] as string]))),
    labels: test.map((r) => table.rows[r]![target] as string),
  };
}

describe('ensembles and export of a real study', () => {
  const dir = useTempDir();

  it('builds the ensemble at the end of the study, exports it, and the export predicts raw rows exactly as the stored members did', async () => {
    const { storage: file, result } = await wineStudy(dir());
    const ensemble = result.ensemble as StoredEnsemble;
    expect(ensemble.method).toBe('greedy');
    expect(ensemble.members.reduce((s, m) => s + m.weight, 0)).toBeCloseTo(1, 9);
    expect(ensemble.validationScore).toBeLessThanOrEqual(ensemble.bestSingle.validationScore + 1e-12);
    expect(ensemble.testScore).not.toBeNull();

    const storage = await openStorage(file);
    const out = join(dir(), 'export');
    const manifest = await exportStudy(storage, { study: 'wine-export', what: 'ensemble', out });
    // Expected: the members' stored test probabilities, combined with the ensemble's weights.
    const study = (await storage.findStudy('wine-export'))!;
    const trials = await storage.listTrials(study.id);
    const stored = new Map<number, Float32Array>();
    for (const m of ensemble.members) {
      const trial = trials.find((t) => t.number === m.trial)!;
      stored.set(m.trial, readTrialPredictions((await storage.listArtifacts(trial.id))[0]!.uri).test);
    }
    await storage.close();
    const expected = combine(
      ensemble.members.map((m) => m.trial),
      ensemble.members.map((m) => m.weight),
      stored,
    );

    const predictor = await loadModel(out);
    const { rows, labels } = heldOutRows();
    const probabilities = predictor.predictProba(rows).flat();
    expect(probabilities).toHaveLength(expected.length);
    probabilities.forEach((p, i) => expect(p).toBeCloseTo(expected[i] as number, 5));
    const predicted = predictor.predict(rows);
    const accuracy = predicted.filter((p, i) => p === labels[i]).length / labels.length;
    expect(accuracy).toBeGreaterThan(0.85);
    expect(manifest.input.columns).toContain('proline');

    // A row without a column the model reads is refused, naming the row and the column.
    const { proline: _dropped, ...incomplete } = rows[0]!;
    expect(() => predictor.predict([rows[1]!, incomplete])).toThrow(/row 1: column "proline" is missing/);
    predictor.dispose();

    // The HTTP service answers the same, and refuses what it cannot read.
    const app = predictApp(await loadModel(out), { allowedHosts: ['localhost'] });
    const response = await app.request('/predict', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rows: rows.slice(0, 3) }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { predictions: unknown }).predictions).toEqual(predicted.slice(0, 3));
    expect((await app.request('/predict', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect(
      (await app.request('/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"rows": [' })).status,
    ).toBe(400);
    expect(
      (
        await app.request('/predict', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ rows: [{}] }),
        })
      ).status,
    ).toBe(422);
    const huge = JSON.stringify({ rows: ['x'.repeat(5 * 1024 * 1024)] });
    expect(
      (
        await app.request('/predict', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(huge.length) },
          body: huge,
        })
      ).status,
    ).toBe(413);
    expect((await (await app.request('/model')).json()) as object).toMatchObject({
      task: 'classification',
      labels: ['class_0', 'class_1', 'class_2'],
    });

    // Quantized to float16, the same rows get nearly the same probabilities from a file half the size.
    const storage2 = await openStorage(file);
    const half = join(dir(), 'export-f16');
    await exportStudy(storage2, { study: 'wine-export', what: 'best', out: half, quantize: 'float16' });
    const full = join(dir(), 'export-best');
    await exportStudy(storage2, { study: 'wine-export', what: 'best', out: full });
    const byte = join(dir(), 'export-u8');
    await exportStudy(storage2, { study: 'wine-export', what: 'best', out: byte, quantize: 'uint8' });
    await storage2.close();
    const [a, b, u] = [await loadModel(half), await loadModel(full), await loadModel(byte)];
    const pa = a.predictProba(rows).flat();
    const pb = b.predictProba(rows).flat();
    pa.forEach((p, i) => expect(Math.abs(p - (pb[i] as number))).toBeLessThan(0.02));
    const size = (d: string, m: string) => readFileSync(join(d, m, 'weights.bin')).byteLength;
    expect(size(half, a.manifest.members[0]!.path)).toBe(size(full, b.manifest.members[0]!.path) / 2);
    // Quantized to uint8 (one byte a weight, scaled per tensor): probabilities within 0.05, the same predicted
    // class on (nearly) every row, from a quarter of the weights.
    expect(u.manifest.quantization).toBe('uint8');
    const pu = u.predictProba(rows).flat();
    pu.forEach((p, i) => expect(Math.abs(p - (pb[i] as number)), `probability ${i}`).toBeLessThan(0.05));
    const agree = u.predict(rows).filter((label, i) => label === b.predict(rows)[i]).length;
    expect(agree / rows.length).toBeGreaterThanOrEqual(0.98);
    expect(size(byte, u.manifest.members[0]!.path)).toBe(size(full, b.manifest.members[0]!.path) / 4);
  });

  it('refuses a newer format, a tampered weight file and a missing one, naming the file', async () => {
    const { storage: file } = await wineStudy(dir());
    const storage = await openStorage(file);
    const out = join(dir(), 'export');
    const manifest = await exportStudy(storage, { study: 'wine-export', what: 'best', out });
    await storage.close();
    const manifestPath = join(out, 'autotune.json');
    const original = readFileSync(manifestPath, 'utf8');
    writeFileSync(manifestPath, JSON.stringify({ ...JSON.parse(original), version: 99 }));
    await expect(loadModel(out)).rejects.toThrow(/format 99 was written by a newer autotune/);
    writeFileSync(manifestPath, original);

    const weights = join(out, manifest.members[0]!.path, 'weights.bin');
    truncateSync(weights, 100);
    await expect(loadModel(out)).rejects.toThrow(
      new RegExp(`${weights.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: does not match the checksum`),
    );
    rmSync(weights);
    await expect(loadModel(out)).rejects.toThrow(/weights\.bin: missing or unreadable/);
  });
});
