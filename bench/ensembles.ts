// Ensembles against the best single trial, and exports against the in-memory models, on shipped studies of each
// kind (tabular, image, text, regression). For each study: run it (seeded, SQLite in a temp dir), build a greedy
// (Caruana) and a top-5 average ensemble from the stored predictions, export each, load the export with
// loadModel, and score its predictions on the raw held-out test rows against the stored test score.
// Run: npm run build && node dist/bench/ensembles.js [--studies penguins,digits-cnn,spam-transformer,airquality]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runStudy } from '../src/api/autotune.js';
import { readTable } from '../src/data/read.js';
import { prepareDataset } from '../src/data/prepare.js';
import { buildStudyEnsemble } from '../src/ensemble/study-ensemble.js';
import { scorePredictions } from '../src/ensemble/score.js';
import { exportStudy } from '../src/export/export.js';
import { loadModel } from '../src/export/predictor.js';
import type { RawRow } from '../src/data/fitted-preprocessing.js';
import { loadStudyFile } from '../src/space/load.js';
import type { EnsembleConfig, StudyConfig } from '../src/space/schema.js';
import { openStorage } from '../src/storage/open.js';
import type { Storage } from '../src/storage/storage.js';
import { readTrialPredictions } from '../src/artifacts/trial-artifacts.js';

const { values } = parseArgs({ options: { studies: { type: 'string', default: 'penguins,digits-cnn,spam-transformer,airquality' } } });
const root = mkdtempSync(join(tmpdir(), 'autotune-bench-ensembles-'));
const METHODS: Record<string, EnsembleConfig> = {
  greedy: { method: 'greedy', size: 25, topK: 20, initSize: 1 },
  'average-5': { method: 'average', size: 5, topK: 20, initSize: 1 },
};

console.log(
  '| study | metric (test) | best single | ensemble | members | export on raw rows | Δ export vs stored | accuracy / R² (test): best single → ensemble | wall |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const name of values.studies.split(',')) {
  const started = performance.now();
  const file = fileURLToPath(new URL(`../../search-spaces/${name}.json`, import.meta.url));
  const config = loadStudyFile(file).config;
  const dbFile = join(root, `${name}.db`);
  await runStudy(config, { storage: dbFile });
  const storage = await openStorage(dbFile);
  const study = (await storage.findStudy(config.name))!;
  const heldOut = rawTestRows(config);
  for (const [label, options] of Object.entries(METHODS)) {
    const ensemble = await buildStudyEnsemble(storage, study.id, config.objective, options);
    await storage.setStudySystemAttr(study.id, 'ensemble', ensemble);
    const out = join(root, `${name}-${label}`);
    await exportStudy(storage, { study: config.name, what: 'ensemble', out });
    const predictor = await loadModel(out);
    const task = predictor.manifest.task;
    const outputs =
      task === 'classification'
        ? Float32Array.from(predictor.predictProba(heldOut.rows).flat())
        : Float32Array.from(predictor.predict(heldOut.rows) as number[]);
    const exported = scorePredictions(outputs, {
      task,
      classes: predictor.manifest.labels.length,
      targets: heldOut.targets,
      metric: config.objective.metric,
      direction: config.objective.direction,
    });
    const f = (v: number | null) => (v === null ? '—' : Math.abs(v) < 0.01 && v !== 0 ? v.toExponential(2) : v.toFixed(4));
    // The objective may be a loss; the headline metric of the task is shown beside it.
    const headline = task === 'classification' ? 'val_accuracy' : 'val_r2';
    const problem = {
      task,
      classes: predictor.manifest.labels.length,
      targets: heldOut.targets,
      metric: headline,
      direction: 'maximize' as const,
    };
    const single = await storedTestPredictions(storage, study.id, ensemble.bestSingle.trial);
    const secondary = `${f(scorePredictions(single, problem))} → ${f(scorePredictions(outputs, problem))}`;
    console.log(
      `| ${name} | ${config.objective.metric.replace(/^val_/, 'test_')} | ${f(ensemble.bestSingle.testScore)} (trial ${ensemble.bestSingle.trial}) | ${label}: **${f(ensemble.testScore)}** | ${ensemble.members.length} | ${f(exported)} | ${(exported - (ensemble.testScore ?? NaN)).toExponential(1)} | ${secondary} | ${((performance.now() - started) / 1000).toFixed(0)} s |`,
    );
    predictor.dispose();
  }
  await storage.close();
}

async function storedTestPredictions(storage: Storage, studyId: number, trialNumber: number): Promise<Float32Array> {
  const trial = (await storage.listTrials(studyId)).find((t) => t.number === trialNumber)!;
  const dir = (await storage.listArtifacts(trial.id)).find((a) => a.kind === 'trial')!.uri;
  return readTrialPredictions(dir).test;
}

/** The study's held-out test rows, raw, with their targets (class index or value), from the same seeded split. */
function rawTestRows(config: StudyConfig): { rows: RawRow[]; targets: Float32Array } {
  const data = config.data!;
  const table = readTable(data.source, { maxRows: data.maxRows, maxBytes: data.maxBytes });
  const dataset = prepareDataset(table, data, config.search.seed);
  const target = table.columns.indexOf(data.target);
  const rows = dataset.sourceRows!.test.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, table.rows[r]![i] ?? ''])));
  const targets = Float32Array.from(dataset.sourceRows!.test, (r) => {
    const raw = table.rows[r]![target] as string;
    return data.task === 'classification' ? dataset.labels.indexOf(raw) : Number(raw);
  });
  return { rows, targets };
}
