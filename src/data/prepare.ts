import { InputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { DataConfig } from '../space/schema.js';
import { lineOf, quoteCell, type RawTable } from './csv.js';
import { encodedNames, encodedWidth, encodeRow, fitEncoders, measuredInputs, type ColumnEncoder } from './encode.js';
import { uniqueRows } from './dedupe.js';
import type { PreparedDataset, SplitData, TargetScaler } from './prepared-dataset.js';
import { applyStandardizer, fitScaler, identityScaler, type Standardizer } from './scaler.js';
import { prepareSeries } from './series.js';
import { foldSplit, splitRows } from './split.js';
import { fitTfidf, tfidfRow, vocabularyIndex, type TfidfVectorizer } from './text.js';
import { encodeTokens, fitTokenizer, tokenIndex, type Tokenizer } from './tokens.js';

/**
 * Turns a raw table into split, standardized arrays. Every statistic is fitted on the training split only, and
 * the split is seeded (stratified for classification), so every trial of a study sees identical data.
 *
 * With `data.split.folds` and a `fold`, that fold of the training and validation rows validates (see foldSplit); for
 * a series, `fold` picks the backtest window instead (see prepareSeries).
 * With a `testTable` (`data.test`, columns in the order of `table`: see readStudyTables), its rows are the test split
 * and `table` is split into training and validation only.
 *
 * @example prepareDataset(readCsv('datasets/wine.csv'), config.data, 42)
 */
export function prepareDataset(table: RawTable, data: DataConfig, seed: number, fold?: number, testTable?: RawTable): PreparedDataset {
  const targetIndex = columnIndex(table, data.target, 'data.target');
  const featureNames = data.features ?? table.columns.filter((c) => c !== data.target);
  if (featureNames.includes(data.target)) {
    throw new InputError(`data.features: the target "${data.target}" cannot also be a feature`, { file: table.file });
  }
  const featureIndices = featureNames.map((name, i) => columnIndex(table, name, `data.features[${i}]`));
  const withTarget = table.rows.map((_, i) => i).filter((i) => (table.rows[i]![targetIndex] ?? '') !== '');
  const kept = data.preprocessing.deduplicate ? uniqueRows(table, withTarget, [...featureIndices, targetIndex]) : withTarget;
  const counted = { droppedRows: table.rows.length - withTarget.length, duplicateRows: withTarget.length - kept.length };
  if (kept.length < 10) {
    throw new InputError(`${table.file}: only ${kept.length} rows have a value in "${data.target}"; at least 10 are needed`, {
      file: table.file,
    });
  }

  const rawTargets = kept.map((row) => table.rows[row]![targetIndex] as string);
  const labels = data.task === 'classification' ? sortedLabels(rawTargets) : [];
  if (data.task === 'classification' && labels.length < 2) {
    throw new InputError(
      `data.target: column "${data.target}" of ${table.file} has one class (${quoteCell(labels[0] ?? '')}); classification needs at least two`,
      { file: table.file },
    );
  }
  const targetOf = (from: RawTable, row: number): number => {
    if (data.task === 'regression') return parseTarget(from, row, targetIndex, data.targetTransform === 'log');
    const label = labels.indexOf(from.rows[row]![targetIndex] as string);
    if (label < 0) {
      throw new InputError(
        `${from.file}: line ${lineOf(from, row)}, column "${data.target}": class ${quoteCell(from.rows[row]![targetIndex] as string)} does not occur in ${table.file}`,
        { file: from.file },
      );
    }
    return label;
  };
  const sourceTargets = kept.map((row) => targetOf(table, row));

  // For a series, `fold` is the backtest window (0: the latest); the series split has no other use for it.
  if (data.input.kind === 'series') return prepareSeries(table, data, data.input, sourceTargets, kept, fold);

  // A held-out test file's rows follow the source's: example kept.length + j is its row heldOut[j].
  const heldOut = testTable ? testTable.rows.map((_, i) => i).filter((i) => (testTable.rows[i]![targetIndex] ?? '') !== '') : [];
  const targets = [...sourceTargets, ...heldOut.map((row) => targetOf(testTable!, row))];
  const rng = new Rng(seed).fork('split');
  const strata = data.task === 'classification' && data.split.stratify ? targets : undefined;
  const held = testTable
    ? {
        ...splitRows(kept.length, { validation: data.split.validation, test: 0 }, rng, strata),
        test: heldOut.map((_, j) => kept.length + j),
      }
    : splitRows(kept.length, data.split, rng, strata);
  const split =
    data.split.folds && fold !== undefined ? foldSplit(held, data.split.folds, fold, new Rng(seed).fork('folds'), strata) : held;
  if (split.train.length === 0 || split.validation.length === 0) {
    const empty = split.train.length === 0 ? 'training' : 'validation';
    throw new InputError(
      `data.split: validation ${data.split.validation} and test ${data.split.test} of the ${kept.length} rows of ${table.file} leave the ${empty} split empty; ${empty === 'training' ? 'lower the fractions' : 'raise data.split.validation or add rows'}`,
      { file: table.file },
    );
  }
  const examples = kept.length + heldOut.length;
  const origin = (r: number): { from: RawTable; row: number } =>
    r < kept.length ? { from: table, row: kept[r] as number } : { from: testTable!, row: heldOut[r - kept.length] as number };
  const source = (rows: readonly number[]) => rows.map((r) => origin(r).row);
  const counts = { ...counted, droppedRows: counted.droppedRows + (testTable ? testTable.rows.length - heldOut.length : 0) };
  const dropped = { ...counts, sourceRows: { train: source(split.train), validation: source(split.validation), test: source(split.test) } };

  if (data.input.kind === 'text') {
    const textOf = (r: number) => {
      const { from, row } = origin(r);
      return from.rows[row]![featureIndices[0] as number] ?? '';
    };
    return {
      ...prepareText(table, data, data.input, {
        featureIndices,
        featureNames,
        examples,
        textOf,
        targets,
        labels,
        split,
        targetScaler: regressionScaler(data, targets, split.train),
      }),
      ...dropped,
    };
  }
  const image = data.input.kind === 'image' ? data.input : null;
  const encoders = image
    ? featureIndices.map(
        (column): ColumnEncoder => ({ kind: 'numeric', column: table.columns[column] as string, fill: 0, indicator: false }),
      )
    : fitEncoders(
        table,
        featureIndices,
        split.train.map((r) => kept[r] as number),
        data.preprocessing,
      );
  const width = encodedWidth(encoders);
  if (image && image.shape[0] * image.shape[1] * image.shape[2] !== width) {
    throw new InputError(
      `data.input.shape: ${image.shape.join('×')} = ${image.shape[0] * image.shape[1] * image.shape[2]} pixels, but there are ${width} feature columns`,
      { file: table.file },
    );
  }
  const features = new Float64Array(examples * width);
  kept.forEach((row, r) =>
    encodeRow(encoders, table.rows[row] as string[], featureIndices, features, r * width, `${table.file}: line ${lineOf(table, row)}`),
  );
  heldOut.forEach((row, j) =>
    encodeRow(
      encoders,
      testTable!.rows[row] as string[],
      featureIndices,
      features,
      (kept.length + j) * width,
      `${testTable!.file}: line ${lineOf(testTable!, row)}`,
    ),
  );
  // Pixels share one scale (the training maximum), so an image keeps its contrast; measured tabular inputs are
  // scaled as configured, while one-hot codes and missing indicators stay 0/1.
  const featureScaler = image
    ? pixelScaler(features, width, split.train)
    : keepBinary(fitScaler(data.preprocessing.scaling, features, width, split.train), measuredInputs(encoders));
  const targetScaler = regressionScaler(data, targets, split.train);
  const encode = (rows: readonly number[]): SplitData => splitData(features, width, rows, featureScaler, targets, targetScaler);
  return {
    task: data.task,
    featureNames: image ? featureNames : encodedNames(encoders),
    labels,
    nFeatures: width,
    encoders,
    inputShape: image ? [...image.shape] : [width],
    featureScaler,
    targetScaler,
    train: encode(split.train),
    validation: encode(split.validation),
    test: encode(split.test),
    ...dropped,
  };
}

/** The index of a named column; a missing one is an InputError naming the JSON path and listing the columns. */
export function columnIndex(table: RawTable, name: string, jsonPath: string): number {
  const index = table.columns.indexOf(name);
  if (index < 0) {
    throw new InputError(`${jsonPath}: column "${name}" is not in ${table.file} (columns: ${listColumns(table.columns)})`, {
      file: table.file,
    });
  }
  return index;
}

// A header of a million columns, or of one 10 MB name, must not make a 10 MB message: about 500 characters are shown.
function listColumns(columns: readonly string[]): string {
  const shown: string[] = [];
  let length = 0;
  for (const column of columns) {
    if (length > 500) break;
    const name = column.length > 40 ? `${column.slice(0, 40)}…` : column;
    shown.push(name);
    length += name.length + 2;
  }
  const more = columns.length - shown.length;
  return columns.length === 0 ? 'none' : shown.join(', ') + (more > 0 ? `, … ${more} more` : '');
}

function parseTarget(table: RawTable, row: number, column: number, log: boolean): number {
  const text = table.rows[row]![column] ?? '';
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new InputError(
      `${table.file}: line ${lineOf(table, row)}: the regression target "${table.columns[column]}" is not numeric (${quoteCell(text)})`,
      {
        file: table.file,
      },
    );
  }
  if (log && value <= -1) {
    throw new InputError(`${table.file}: line ${lineOf(table, row)}: data.targetTransform "log" needs targets above −1 (got ${value})`, {
      file: table.file,
    });
  }
  return log ? Math.log1p(value) : value;
}

function keepBinary(scaler: Standardizer, measured: readonly boolean[]): Standardizer {
  return {
    mean: scaler.mean.map((m, i) => (measured[i] ? m : 0)),
    std: scaler.std.map((s, i) => (measured[i] ? s : 1)),
  };
}

function sortedLabels(values: readonly string[]): string[] {
  const unique = [...new Set(values)];
  const numeric = unique.every((v) => Number.isFinite(Number(v)));
  return numeric ? unique.sort((a, b) => Number(a) - Number(b)) : unique.sort();
}

function pixelScaler(values: Float64Array, width: number, rows: readonly number[]): Standardizer {
  let max = 0;
  for (const r of rows) for (let c = 0; c < width; c++) max = Math.max(max, Math.abs(values[r * width + c] as number) || 0);
  return { mean: new Array<number>(width).fill(0), std: new Array<number>(width).fill(max || 1) };
}

function regressionScaler(data: DataConfig, targets: readonly number[], trainRows: readonly number[]): TargetScaler | null {
  return data.task === 'regression' ? { ...fitTargetScaler(targets, trainRows), log: data.targetTransform === 'log' } : null;
}

/** Split arrays for row-major features and targets (scaled for regression). */
function splitData(
  features: Float64Array,
  width: number,
  rows: readonly number[],
  scaler: Standardizer,
  targets: readonly number[],
  targetScaler: TargetScaler | null,
): SplitData {
  return {
    x: applyStandardizer(features, width, rows, scaler),
    y: Float32Array.from(rows, (r) => {
      const t = targets[r] as number;
      return targetScaler ? (t - targetScaler.mean) / targetScaler.std : t;
    }),
    rows: rows.length,
  };
}

/** A text column as TF-IDF rows: the vocabulary and idf come from the training split only. */
function prepareText(
  table: RawTable,
  data: DataConfig,
  input: Extract<DataConfig['input'], { kind: 'text' }>,
  fitted: {
    featureIndices: readonly number[];
    featureNames: readonly string[];
    /** Examples in all (the source's kept rows, then any held-out test rows), and the text of each. */
    examples: number;
    textOf: (r: number) => string;
    targets: readonly number[];
    labels: readonly string[];
    split: { train: readonly number[]; validation: readonly number[]; test: readonly number[] };
    targetScaler: TargetScaler | null;
  },
): Omit<PreparedDataset, 'droppedRows' | 'duplicateRows'> {
  if (fitted.featureIndices.length !== 1) {
    throw new InputError(
      `data.features: text input reads exactly one column; list it, e.g. ["text"] (got ${fitted.featureNames.join(', ')})`,
      { file: table.file },
    );
  }
  const { textOf } = fitted;
  const trainTexts = fitted.split.train.map(textOf);
  const encoded =
    input.representation === 'tokens'
      ? tokenFeatures(trainTexts, input, fitted.examples, textOf)
      : tfidfFeatures(trainTexts, input, fitted.examples, textOf);
  if (encoded.width === 0 || encoded.names.length === 0) {
    throw new InputError(`data.input: no word appears in ${input.minCount} training texts`, { file: table.file });
  }
  const identity = identityScaler(encoded.width);
  const make = (rows: readonly number[]) => splitData(encoded.features, encoded.width, rows, identity, fitted.targets, fitted.targetScaler);
  return {
    task: data.task,
    featureNames: encoded.names,
    labels: fitted.labels,
    nFeatures: encoded.width,
    encoders: [],
    ...encoded.fitted,
    inputShape: [encoded.width],
    featureScaler: identity,
    targetScaler: fitted.targetScaler,
    train: make(fitted.split.train),
    validation: make(fitted.split.validation),
    test: make(fitted.split.test),
  };
}

type TextInput = Extract<DataConfig['input'], { kind: 'text' }>;
interface TextFeatures {
  readonly features: Float64Array;
  readonly width: number;
  readonly names: readonly string[];
  readonly fitted: { vectorizer: TfidfVectorizer } | { tokenizer: Tokenizer };
}

function tfidfFeatures(trainTexts: readonly string[], input: TextInput, rows: number, textOf: (r: number) => string): TextFeatures {
  const vectorizer = fitTfidf(trainTexts, input);
  const width = vectorizer.vocabulary.length;
  const index = vocabularyIndex(vectorizer);
  const features = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) tfidfRow(vectorizer, textOf(r), features, r * width, index);
  return { features, width, names: vectorizer.vocabulary, fitted: { vectorizer } };
}

function tokenFeatures(trainTexts: readonly string[], input: TextInput, rows: number, textOf: (r: number) => string): TextFeatures {
  const tokenizer = fitTokenizer(trainTexts, input);
  const width = tokenizer.sequenceLength;
  const index = tokenIndex(tokenizer);
  const features = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) encodeTokens(tokenizer, textOf(r), features, r * width, index);
  return { features, width, names: tokenizer.vocabulary, fitted: { tokenizer } };
}

function fitTargetScaler(targets: readonly number[], rows: readonly number[]): { mean: number; std: number } {
  const values = rows.map((r) => targets[r] as number);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { mean, std: Math.sqrt(variance) || 1 };
}
