import { statSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { RawTable } from '../data/csv.js';
import { prepareDataset } from '../data/prepare.js';
import { readStudyTables } from '../data/held-out.js';
import { CLASSIFICATION_ONLY_FAMILIES, fittingOf, modelFamiliesIn, REGRESSION_ONLY_FAMILIES } from '../models/families.js';
import { createSampler } from '../samplers/create.js';
import { createScheduler } from '../schedulers/create.js';
import { compileStudySpace } from '../space/trainer-activity.js';
import { largestSearched } from '../space/searched-setting.js';
import { loadStudyFile, parseStudy, resolveStudyPaths } from '../space/load.js';
import type { DataConfig, SearchConfig, StudyConfig } from '../space/schema.js';
import { epochMetricNames } from '../training/produced-metrics.js';

/** A study that passed every check made before anything is written. */
export interface ValidatedStudy {
  readonly config: StudyConfig;
  /** The dataset as read for the checks, kept so the data-quality profile does not read it again; null without data. */
  readonly table: RawTable | null;
  /** The held-out test file (`data.test.source`) as read for the checks, in the source's column order. */
  readonly testTable?: RawTable;
}

/** Settings the command line may override (`--trials`, `--parallelism`, `--seed`). */
export type SearchOverrides = Partial<Pick<SearchConfig, 'trials' | 'parallelism' | 'seed'>>;

export interface ValidateOptions {
  /** The objective is an in-process function (`autotune()` options): the study needs neither data nor a module. */
  readonly inlineObjective?: boolean;
  /** Applied over the file's `search` block and validated like it. */
  readonly search?: SearchOverrides;
  /** Relative paths of an object definition resolve against this; default: the working directory. */
  readonly baseDir?: string;
}

/**
 * The one gate every study passes before anything is written (no database, no artifact): `autotune run`,
 * `autotune()`, `runStudy` and the dashboard's launch all call it. It takes a study file's path or a definition
 * object and checks the schema (JSON paths); that `objective.module` and `training.lossModule` are files; the
 * dataset (readable, regular, not ragged, the target and feature columns present, a task it can serve: prepared once
 * with the study's settings, so a stray word names its column and line); that every model family in the space
 * serves the task and reports `objective.metric`; and that the sampler and scheduler can be built. Throws an
 * {@link InputError} naming the file and the path.
 *
 * @example const { config } = validateStudy('search-spaces/wine.json', { search: { trials: 5 } });
 */
export function validateStudy(source: string | object, options: ValidateOptions = {}): ValidatedStudy {
  const file = typeof source === 'string' ? source : undefined;
  const parseOptions = { inlineObjective: options.inlineObjective ?? false };
  const parsed =
    typeof source === 'string'
      ? loadStudyFile(source).config
      : resolveStudyPaths(parseStudy(source, undefined, parseOptions), options.baseDir ?? process.cwd());
  const overrides = Object.fromEntries(Object.entries(options.search ?? {}).filter(([, v]) => v !== undefined));
  const config =
    Object.keys(overrides).length > 0
      ? parseStudy(
          { ...parsed, search: { ...parsed.search, ...overrides } },
          `${file ?? 'study'} (with command-line options)`,
          parseOptions,
        )
      : parsed;
  const where = file ? `${file}: ` : '';
  checkModuleFile(config.objective.module, 'objective.module', where, file);
  checkModuleFile(config.training.lossModule, 'training.lossModule', where, file);
  const dataset = config.data ? withStudyFile(where, file, () => checkDataset(config.data as DataConfig, config.search.seed)) : null;
  if (config.data && dataset) checkModelsAndMetric(config, config.data, dataset.classes, where, file);
  if (config.data && dataset) withStudyFile(where, file, () => checkSearchedLookback(config, config.data as DataConfig, dataset.table));
  // Both may refuse a setting (a grid over too many points); building them here keeps that before any write.
  createSampler(config.search, compileStudySpace(config));
  createScheduler(config.search, config.training);
  return { config, table: dataset?.table ?? null, ...(dataset?.testTable ? { testTable: dataset.testTable } : {}) };
}

/** True for what {@link validateStudy} returns, as against a bare config. */
export function isValidatedStudy(study: StudyConfig | ValidatedStudy): study is ValidatedStudy {
  return 'config' in study && 'table' in study && typeof study.config === 'object';
}

/** A module every trial would import must be a file now: otherwise each trial would fail on it, one by one. */
function checkModuleFile(path: string | undefined, jsonPath: string, where: string, file: string | undefined): void {
  if (path === undefined) return;
  let problem: string | undefined;
  try {
    if (!statSync(path).isFile()) problem = 'is not a file';
  } catch {
    problem = 'does not exist';
  }
  if (problem)
    throw new InputError(`${where}${jsonPath}: ${path} ${problem}`, {
      ...(file ? { file } : {}),
      issues: [`${jsonPath}: ${path} ${problem}`],
    });
}

/** Prefixes a dataset's error with the study file that named the dataset, keeping its one line. */
function withStudyFile<T>(where: string, file: string | undefined, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof InputError) || where === '') throw error;
    throw new InputError(`${where}${error.message}`, { file: error.file ?? file, issues: error.issues, cause: error });
  }
}

/** Reads the dataset and prepares it once, so everything a trial would trip over in the data is reported now. */
function checkDataset(data: DataConfig, seed: number): { table: RawTable; testTable?: RawTable; classes: number } {
  const { table, testTable } = readStudyTables(data);
  // Text is checked as a table (columns, target, split): fitting a vocabulary here would cost seconds on every run,
  // and its settings are searched per trial anyway.
  const checked = data.input.kind === 'text' ? { ...data, input: { kind: 'tabular' as const } } : data;
  const classes = prepareDataset(table, checked, seed, undefined, testTable).labels.length;
  return { table, ...(testTable ? { testTable } : {}), classes };
}

/**
 * Explicit backtests hold every trial to that many windows: the largest lookback the space searches must leave room
 * for them too, or each trial that draws it would fail on the same line.
 */
function checkSearchedLookback(config: StudyConfig, data: DataConfig, table: RawTable): void {
  if (data.input.kind !== 'series' || data.split.backtests === undefined) return;
  const searched = largestSearched(config.space, 'lookback');
  if (!searched || searched.value <= data.input.lookback) return;
  try {
    prepareDataset(table, { ...data, input: { ...data.input, lookback: searched.value } }, config.search.seed);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(`${error.message} (${searched.path} reaches lookback ${searched.value})`, { file: table.file, cause: error });
  }
}

function checkModelsAndMetric(config: StudyConfig, data: DataConfig, classes: number, where: string, file: string | undefined): void {
  const families = modelFamiliesIn(config.space);
  const fail = (issue: string) => new InputError(`${where}${issue}`, { ...(file ? { file } : {}), issues: [issue] });
  for (const family of families) {
    if (data.task === 'classification' && REGRESSION_ONLY_FAMILIES.includes(family.name)) {
      throw fail(
        `${family.path}: ${family.name} fits regression targets only, and data.task is classification (an mlp with layers 0 is a linear classifier)`,
      );
    }
    if (data.task === 'regression' && CLASSIFICATION_ONLY_FAMILIES.includes(family.name)) {
      throw fail(`${family.path}: ${family.name} fits classes only, and data.task is regression (ridge and mean fit values)`);
    }
    if (family.name === 'seasonalNaive' && data.input.kind !== 'series') {
      throw fail(`${family.path}: seasonalNaive forecasts a series, and data.input.kind is ${data.input.kind}`);
    }
  }
  const metric = config.objective.metric;
  const byTask = epochMetricNames(data.task, classes, 'gradient');
  if (!byTask.includes(metric)) {
    const why = metric === 'val_auc' && data.task === 'classification' ? ` (AUC needs two classes; "${data.target}" has ${classes})` : '';
    throw fail(`objective.metric: "${metric}" is not reported by a ${data.task} task${why}; choose one of ${byTask.join(', ')}`);
  }
  for (const family of families) {
    const byFamily = epochMetricNames(data.task, classes, fittingOf(family.name));
    if (!byFamily.includes(metric)) {
      throw fail(
        `objective.metric: "${metric}" is not reported by a ${family.name} model (${family.path}); choose one of ${byFamily.join(', ')}`,
      );
    }
  }
}
