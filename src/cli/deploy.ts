import { serve } from '@hono/node-server';
import { InputError } from '../core/errors.js';
import { buildStudyEnsemble } from '../ensemble/study-ensemble.js';
import { exportStudy } from '../export/export.js';
import { loadModel } from '../export/predictor.js';
import type { Quantization } from '../export/quantize.js';
import { servedHosts, urlHost } from '../server/guards.js';
import { predictApp } from '../server/predict-app.js';
import type { EnsembleConfig, StudyConfig } from '../space/schema.js';
import { describeExport } from '../export/readme.js';
import { formatValue } from './format.js';
import { checkHorizon } from './horizon.js';
import { openExisting, printEnsemble } from './inspect.js';

/** `autotune ensemble <study>`: builds (or rebuilds) the study's ensemble from its saved predictions and stores it. */
export async function ensembleCommand(
  name: string,
  flags: { storage: string; size?: number; method?: EnsembleConfig['method']; topK?: number },
): Promise<void> {
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
export async function exportCommand(
  name: string,
  flags: { storage: string; out: string; best?: boolean; ensemble?: boolean; quantize?: Quantization },
): Promise<void> {
  if (flags.best && flags.ensemble) throw new InputError('choose --best or --ensemble, not both');
  const storage = await openExisting(flags.storage);
  try {
    const manifest = await exportStudy(storage, {
      study: name,
      what: flags.ensemble ? 'ensemble' : 'best',
      out: flags.out,
      ...(flags.quantize ? { quantize: flags.quantize } : {}),
    });
    console.log(
      `exported ${describeExport(manifest)} from "${name}" to ${flags.out} (weights ${manifest.quantization === 'none' ? 'float32' : manifest.quantization})`,
    );
    console.log(
      `  ${manifest.study.metric}: validation ${formatValue(manifest.scores.validation)}; test ${formatValue(manifest.scores.test)}`,
    );
  } finally {
    await storage.close();
  }
}

/**
 * `autotune serve DIR [--port N] [--host H] [--horizon N]`: the prediction service, on 127.0.0.1 unless told
 * otherwise, answering only requests addressed to the names it serves under (and `--allow-host` names: behind a
 * proxy or in a container network, clients use a name the server cannot guess). A port that cannot be bound is a
 * one-line error (exit 2).
 */
export async function serveCommand(
  dir: string,
  flags: { port: number; host: string; horizon?: number; allowHost?: string[] },
): Promise<void> {
  if (flags.port === 0 || flags.port > 65535) throw new InputError('--port: expected 1-65535');
  const predictor = await loadModel(dir);
  try {
    checkHorizon(predictor, dir, flags.horizon);
  } catch (error) {
    predictor.dispose();
    throw error;
  }
  const allowedHosts = [...servedHosts(flags.host, flags.port), ...(flags.allowHost ?? [])];
  const app = predictApp(predictor, { allowedHosts, ...(flags.horizon !== undefined ? { horizon: flags.horizon } : {}) });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const listening = serve({ fetch: app.fetch, port: flags.port, hostname: flags.host }, (info) => {
      console.log(
        `serving ${predictor.manifest.study.name} on http://${urlHost(flags.host)}:${info.port} (POST /predict, GET /model, GET /health; backend ${predictor.backend})`,
      );
      resolve(listening);
    });
    listening.once('error', (error: NodeJS.ErrnoException) => {
      predictor.dispose();
      const why =
        error.code === 'EADDRINUSE' ? 'EADDRINUSE: something else listens there; choose another --port' : (error.code ?? error.message);
      reject(new InputError(`serve: cannot listen on ${flags.host}:${flags.port} (${why})`));
    });
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
