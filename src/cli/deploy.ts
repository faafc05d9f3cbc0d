import { createWriteStream } from 'node:fs';
import { serve } from '@hono/node-server';
import { InputError } from '../core/errors.js';
import { readTable } from '../data/read.js';
import { lineOf } from '../data/csv.js';
import { buildStudyEnsemble } from '../ensemble/study-ensemble.js';
import { exportStudy } from '../export/export.js';
import { loadModel } from '../export/predictor.js';
import type { Quantization } from '../export/quantize.js';
import { predictApp } from '../server/predict-app.js';
import type { EnsembleConfig, StudyConfig } from '../space/schema.js';
import { openExisting, printEnsemble } from './inspect.js';

/** `autotune ensemble <study>`: builds (or rebuilds) the study's ensemble from its saved predictions and stores it. */
export async function ensembleCommand(name: string, flags: { storage: string; size?: number; method?: EnsembleConfig['method']; topK?: number }): Promise<void> {
  const storage = await openExisting(flags.storage);
  try {
    const record = await storage.findStudy(name);
    if (!record) throw new InputError(`no study named "${name}" in ${storage.url}`);
    const config = record.config as StudyConfig;
    const options: EnsembleConfig = {
      method: flags.method ?? config.ensemble?.method ?? 'greedy',
      size: flags.size ?? config.ensemble?.size ?? 25,
      topK: flags.topK ?? config.ensemble?.topK ?? 20,
      initSize: config.ensemble?.initSize ?? 1,
    };
    const ensemble = await buildStudyEnsemble(storage, record.id, config.objective, options);
    await storage.setStudySystemAttr(record.id, 'ensemble', ensemble);
    printEnsemble(ensemble);
  } finally {
    await storage.close();
  }
}

/** `autotune export <study> --out DIR [--best | --ensemble] [--quantize float16|uint8]`. */
export async function exportCommand(name: string, flags: { storage: string; out: string; best?: boolean; ensemble?: boolean; quantize?: Quantization }): Promise<void> {
  if (flags.best && flags.ensemble) throw new InputError('choose --best or --ensemble, not both');
  const storage = await openExisting(flags.storage);
  try {
    const manifest = await exportStudy(storage, { study: name, what: flags.ensemble ? 'ensemble' : 'best', out: flags.out, ...(flags.quantize ? { quantize: flags.quantize } : {}) });
    console.log(`exported ${manifest.members.length} model(s) of "${name}" to ${flags.out} (${manifest.combination.method}, weights ${manifest.quantization === 'none' ? 'float32' : manifest.quantization})`);
  } finally {
    await storage.close();
  }
}

/** `autotune predict DIR input.csv [--out preds.csv]`: one prediction per input row, as CSV. */
export async function predictCommand(dir: string, input: string, flags: { out?: string; probabilities?: boolean }): Promise<void> {
  const predictor = await loadModel(dir);
  try {
    const table = readTable(input);
    const out = flags.out ? createWriteStream(flags.out) : process.stdout;
    const labels = predictor.manifest.labels;
    const withProba = flags.probabilities && predictor.manifest.task === 'classification';
    out.write(['prediction', ...(withProba ? labels.map((l) => `p(${l})`) : [])].map(csvCell).join(',') + '\n');
    // Batches keep memory flat on large files; rows are objects keyed by the header, as the predictor expects.
    const batchSize = 1024;
    for (let start = 0; start < table.rows.length; start += batchSize) {
      const rows = table.rows.slice(start, start + batchSize).map((cells) => Object.fromEntries(table.columns.map((c, i) => [c, cells[i] ?? ''])));
      const single = predictor.manifest.input.kind === 'text' ? rows.map((r) => String(r[predictor.manifest.input.columns[0] as string] ?? '')) : rows;
      let predictions: (string | number)[];
      let probabilities: number[][] = [];
      try {
        predictions = predictor.predict(single);
        if (withProba) probabilities = predictor.predictProba(single);
      } catch (error) {
        // Row numbers in the predictor's errors count from this batch; report them as lines of the file.
        throw new InputError(`${input}: ${(error as Error).message.replace(/^row (\d+)/, (_, r: string) => `line ${lineOf(table, start + Number(r))}`)}`, { file: input });
      }
      for (let i = 0; i < predictions.length; i++) out.write([predictions[i], ...(probabilities[i] ?? [])].map(csvCell).join(',') + '\n');
    }
    if (out !== process.stdout) await new Promise<void>((resolve) => (out as NodeJS.WritableStream).end(resolve));
  } finally {
    predictor.dispose();
  }
}

/** `autotune serve DIR [--port N] [--host H]`: the prediction service, on 127.0.0.1 unless told otherwise. */
export async function serveCommand(dir: string, flags: { port: number; host: string }): Promise<void> {
  const predictor = await loadModel(dir);
  const server = serve({ fetch: predictApp(predictor).fetch, port: flags.port, hostname: flags.host }, (info) => {
    console.log(`serving ${predictor.manifest.study.name} on http://${flags.host}:${info.port} (POST /predict, GET /model, GET /health; backend ${predictor.backend})`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function csvCell(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : String(value ?? '');
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
