import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';
import { rankCompleted } from '../core/rank.js';
import type { Direction, StudyRecord, TrialRecord } from '../core/types.js';
import { metricKey } from '../ensemble/score.js';
import type { StoredEnsemble } from '../ensemble/study-ensemble.js';
import type { Ensemble } from '../ensemble/types.js';
import type { StudyConfig } from '../space/schema.js';
import type { Storage } from '../storage/storage.js';
import { trialFilesDir } from '../artifacts/stores.js';
import { readPreprocessing } from '../artifacts/trial-artifacts.js';
import { sha256 } from './checksums.js';
import { EXPORT_FORMAT_VERSION, MANIFEST_FILE, type Manifest, type ManifestMember } from './manifest.js';
import type { FittedPreprocessing } from '../data/fitted-preprocessing.js';
import { quantizeModelDir, type Quantization } from './quantize.js';
import { exportReadme } from './readme.js';

export interface ExportOptions {
  readonly study: string;
  /** The best single trial, or the study's stored ensemble. */
  readonly what: 'best' | 'ensemble';
  readonly out: string;
  readonly quantize?: Quantization;
}

/**
 * Checks the export directory (new, or an empty directory; an existing file or an unwritable place is a one-line
 * error) and returns a fresh directory beside it to write into, renamed onto it once the export is complete, and
 * the first parent it had to create (removed with it if the export fails).
 */
function stagingDirFor(out: string): { staging: string; createdParent: string | undefined } {
  const refuse = (why: string) => new InputError(`--out ${out}: ${why}`, { file: out });
  let stat: Stats | undefined;
  try {
    stat = statSync(out);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw refuse('a parent of it is a file, not a directory');
    if (code !== 'ENOENT') throw refuse(`cannot be read (${code ?? (error as Error).message})`);
  }
  if (stat && !stat.isDirectory()) throw refuse('is a file; the export directory must be new or empty');
  if (stat && readdirSync(out).length > 0) throw refuse('the export directory must be new or empty');
  try {
    const createdParent = mkdirSync(dirname(out), { recursive: true });
    // Not mkdtemp: its 0700 mode would travel with the renamed export; mkdir applies the usual umask.
    const staging = join(dirname(out), `.${basename(out)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
    mkdirSync(staging);
    return { staging, createdParent };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw refuse(
      code === 'ENOTDIR' || code === 'EEXIST'
        ? 'a parent of it is a file, not a directory'
        : `cannot be created (${code ?? (error as Error).message})`,
    );
  }
}

/**
 * Writes a deployable directory: every member as a stock TensorFlow.js LayersModel with its fitted preprocessing,
 * the custom-layer module, a manifest (`autotune.json`) with checksums, and a README for whoever receives it.
 *
 * @example await exportStudy(storage, { study: 'wine', what: 'ensemble', out: './wine-model' })
 */
export async function exportStudy(storage: Storage, options: ExportOptions): Promise<Manifest> {
  const record = await storage.findStudy(options.study);
  if (!record) throw new InputError(`no study named "${options.study}" in ${storage.url}`);
  const config = record.config as StudyConfig;
  if (!config.data)
    throw new InputError(`study "${record.name}" optimizes an objective function; only studies that train models can be exported`);
  const direction = record.directions[0] as Direction;
  const trials = await storage.listTrials(record.id);
  const byNumber = new Map(trials.map((t) => [t.number, t]));
  const chosen =
    options.what === 'ensemble'
      ? storedEnsemble(record.name, record.systemAttrs.ensemble)
      : await bestSingle(storage, trials, { metric: config.objective.metric, direction });
  // Every member's model is found before anything is written, so a missing one leaves no half-made export.
  const sources = new Map<number, { trial: TrialRecord; dir: string }>();
  for (const { trial: number } of chosen.members) {
    const trial = byNumber.get(number);
    const source = trial ? await trialFilesDir(storage, trial) : null;
    if (!trial || !source) {
      throw new InputError(`trial ${number} of "${record.name}" has no saved model (its artifacts were pruned or never written)`);
    }
    sources.set(number, { trial, dir: source });
  }
  const { staging, createdParent } = stagingDirFor(options.out);
  try {
    const manifest = await writeExport(staging, {
      record,
      config,
      direction,
      byNumber,
      chosen,
      sources,
      quantize: options.quantize,
      selection: options.what,
    });
    // Renamed into place only when complete: a failure part-way leaves no half-written export behind.
    if (existsSync(options.out)) rmdirSync(options.out);
    renameSync(staging, options.out);
    return manifest;
  } catch (error) {
    rmSync(createdParent ?? staging, { recursive: true, force: true });
    throw error;
  }
}

interface ExportPlan {
  readonly record: StudyRecord;
  readonly config: StudyConfig;
  readonly direction: Direction;
  readonly byNumber: ReadonlyMap<number, TrialRecord>;
  readonly chosen: Chosen;
  readonly sources: ReadonlyMap<number, { trial: TrialRecord; dir: string }>;
  readonly quantize: Quantization | undefined;
  readonly selection: ExportOptions['what'];
}

async function writeExport(
  out: string,
  { record, config, direction, byNumber, chosen, sources, quantize, selection }: ExportPlan,
): Promise<Manifest> {
  const members: ManifestMember[] = [];
  let preprocessing: FittedPreprocessing | undefined;
  for (const { trial: number, weight } of chosen.members) {
    const { trial, dir: source } = sources.get(number)!;
    const path = `members/trial-${number}`;
    const target = join(out, path);
    mkdirSync(target, { recursive: true });
    for (const file of ['model.json', 'weights.bin', 'preprocessing.json']) {
      const from = join(source, file);
      if (!existsSync(from)) throw new InputError(`${from}: missing (trial ${number}'s saved model is incomplete)`, { file: from });
      copyFileSync(from, join(target, file));
    }
    if (quantize && quantize !== 'none') quantizeModelDir(target, quantize);
    preprocessing ??= readPreprocessing(target);
    const params = trial.params as Record<string, unknown>;
    members.push({
      trial: number,
      weight,
      path,
      architecture: String(params.model ?? 'mlp'),
      params,
      metrics: trial.metrics as Record<string, number>,
    });
  }
  copyFileSync(customLayersModule(), join(out, 'autotune-layers.js'));

  const manifest: Manifest = {
    format: 'autotune-export',
    version: EXPORT_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    study: { name: record.name, metric: config.objective.metric, direction },
    selection,
    task: preprocessing!.task,
    labels: preprocessing!.labels,
    input: preprocessing!.input,
    members,
    combination: chosen.combination,
    scores: chosen.scores,
    quantization: quantize ?? 'none',
    training: { backend: byNumber.get(chosen.members[0]!.trial)?.backend ?? null, versions: versions() },
    checksums: checksumsOf(out),
  };
  writeFileSync(join(out, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  writeFileSync(join(out, 'README.md'), exportReadme(manifest));
  return manifest;
}

interface Chosen {
  readonly members: readonly { readonly trial: number; readonly weight: number }[];
  readonly combination: Ensemble;
  readonly scores: Manifest['scores'];
}

function storedEnsemble(study: string, stored: unknown): Chosen {
  if (!stored)
    throw new InputError(`study "${study}" has no ensemble yet: build one with \`autotune ensemble ${study}\`, or export --best`);
  const ensemble = stored as StoredEnsemble;
  return {
    members: ensemble.members,
    combination: ensemble.detail,
    scores: { validation: ensemble.validationScore, test: ensemble.testScore, bestSingleTest: ensemble.bestSingle.testScore },
  };
}

/**
 * The best trial that still has its model. Its test score is the one the trial recorded (`test_accuracy` for
 * `val_accuracy`), the number `autotune show` prints; the best single trial's is the top-ranked trial's, which is
 * the same trial unless its artifacts are gone.
 */
async function bestSingle(
  storage: Storage,
  trials: readonly TrialRecord[],
  objective: { metric: string; direction: Direction },
): Promise<Chosen> {
  const ranked = rankCompleted(trials, objective.direction);
  const testScore = (trial: TrialRecord | undefined) => trial?.metrics[`test_${metricKey(objective.metric)}`] ?? null;
  for (const trial of ranked) {
    if (!(await trialFilesDir(storage, trial))) continue;
    const value = trial.values![0] as number;
    return {
      members: [{ trial: trial.number, weight: 1 }],
      combination: { method: 'average', members: [trial.number], weights: [1], validationScore: value },
      scores: { validation: value, test: testScore(trial), bestSingleTest: testScore(ranked[0]) },
    };
  }
  throw new InputError('no completed trial has a saved model to export');
}

/** The compiled custom-layer module, which has no imports and so runs as-is beside the models. */
function customLayersModule(): string {
  // Beside this file when running from dist/; from the TypeScript sources (tests), the built copy.
  const candidates = ['../models/attention.js', '../../dist/src/models/attention.js'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new InputError(`the compiled custom-layer module is missing (${candidates[0]}); run npm run build`);
  return found;
}

function versions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const read = (specifier: string) => {
    try {
      return (require(specifier) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  // From dist/src/export/ the project's own package.json is three levels up.
  return {
    autotune: read('../../../package.json'),
    '@tensorflow/tfjs': read('@tensorflow/tfjs/package.json'),
    node: process.versions.node,
  };
}

function checksumsOf(dir: string): Record<string, string> {
  const sums: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else sums[relative(dir, path).split('\\').join('/')] = sha256(readFileSync(path));
    }
  };
  walk(dir);
  return sums;
}
