import { InputError } from '../core/errors.js';
import type { ColumnEncoder } from './encode.js';
import { encodeRow } from './encode.js';
import type { PreparedDataset, TargetScaler } from './prepared-dataset.js';
import type { Standardizer } from './scaler.js';
import { tfidfRow, vocabularyIndex, type TfidfVectorizer } from './text.js';
import { encodeTokens, idCount, tokenIndex, type Tokenizer } from './tokens.js';
import type { DataConfig } from '../space/schema.js';

/**
 * Everything fitted on a trial's training split that turns raw input into what its model reads, and its outputs
 * back into labels or values: plain JSON, so it travels inside an export and needs no dataset to be applied.
 */
export interface FittedPreprocessing {
  readonly task: 'classification' | 'regression';
  readonly input: {
    readonly kind: 'tabular' | 'image' | 'text' | 'series';
    /** The raw columns a row must provide (the text column; the pixel columns; the series' column). */
    readonly columns: readonly string[];
  };
  /** The shape of one example as the model sees it. */
  readonly inputShape: readonly number[];
  /** Token ids lie below this (text as tokens); 0 otherwise. */
  readonly vocabularySize: number;
  readonly labels: readonly string[];
  readonly encoders: readonly ColumnEncoder[];
  readonly featureScaler: Standardizer;
  readonly targetScaler: TargetScaler | null;
  readonly vectorizer?: TfidfVectorizer;
  readonly tokenizer?: Tokenizer;
  /**
   * Series: the values the model reads, and how it forecasts — absent `strategy` (exports written before direct
   * forecasts existed) is recursive; direct models output `horizon` steps per call.
   */
  readonly series?: { readonly lookback: number; readonly strategy?: 'recursive' | 'direct'; readonly horizon?: number };
}

/** A raw example: an object keyed by column name, a text, or an array (pixels, or a series' recent values). */
export type RawRow = Readonly<Record<string, unknown>> | string | readonly number[];

/** The serializable preprocessing of a prepared dataset. */
export function fittedPreprocessing(dataset: PreparedDataset, data: DataConfig): FittedPreprocessing {
  const kind = data.input.kind;
  const columns =
    kind === 'tabular'
      ? dataset.encoders.map((e) => e.column)
      : kind === 'image'
        ? dataset.featureNames
        : kind === 'text'
          ? [data.features?.[0] ?? 'text']
          : [data.target];
  return {
    task: dataset.task,
    input: { kind, columns: [...columns] },
    inputShape: [...dataset.inputShape],
    vocabularySize: dataset.tokenizer ? idCount(dataset.tokenizer) : 0,
    labels: [...dataset.labels],
    encoders: dataset.encoders,
    featureScaler: dataset.featureScaler,
    targetScaler: dataset.targetScaler,
    ...(dataset.vectorizer ? { vectorizer: dataset.vectorizer } : {}),
    ...(dataset.tokenizer ? { tokenizer: dataset.tokenizer } : {}),
    ...(dataset.series ? { series: seriesPreprocessing(dataset.series) } : {}),
  };
}

function seriesPreprocessing(series: NonNullable<PreparedDataset['series']>): NonNullable<FittedPreprocessing['series']> {
  const { lookback, strategy, horizon } = series;
  return strategy === 'direct' ? { lookback, strategy, horizon } : { lookback };
}

/** Forecast steps one call of the model gives: its horizon when direct, else one. */
export function stepsPerCall(pre: FittedPreprocessing): number {
  return pre.series?.strategy === 'direct' ? (pre.series.horizon ?? 1) : 1;
}

/**
 * Raw rows → the model's input, row-major, exactly as training prepared its splits. A row that does not fit the
 * input schema is refused with its index and the column.
 */
export function transformRows(pre: FittedPreprocessing, rows: readonly RawRow[]): Float32Array {
  const width = pre.inputShape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(rows.length * width);
  const index = pre.vectorizer ? vocabularyIndex(pre.vectorizer) : pre.tokenizer ? tokenIndex(pre.tokenizer) : null;
  rows.forEach((row, r) => {
    const offset = r * width;
    switch (pre.input.kind) {
      case 'text': {
        const text = typeof row === 'string' ? row : cell(row, pre.input.columns[0] as string, r);
        if (typeof text !== 'string') throw rowError(r, pre.input.columns[0] as string, 'expected a text');
        if (pre.vectorizer) tfidfRow(pre.vectorizer, text, out, offset, index!);
        else encodeTokens(pre.tokenizer!, text, out, offset, index!);
        return;
      }
      case 'series': {
        const values = seriesValues(row, pre.input.columns[0] as string, r);
        const lookback = pre.series!.lookback;
        if (values.length < lookback)
          throw rowError(r, pre.input.columns[0] as string, `needs the last ${lookback} values, got ${values.length}`);
        const scaler = pre.targetScaler!;
        values.slice(-lookback).forEach((v, i) => {
          out[offset + i] = ((scaler.log ? Math.log1p(v) : v) - scaler.mean) / scaler.std;
        });
        return;
      }
      case 'image': {
        const pixels = Array.isArray(row) ? numbers(row, r, 'pixels') : pre.input.columns.map((c) => numeric(cell(row, c, r), r, c));
        if (pixels.length !== width) throw rowError(r, 'pixels', `expected ${width} pixel values, got ${pixels.length}`);
        pixels.forEach((v, i) => (out[offset + i] = v));
        return;
      }
      case 'tabular': {
        if (typeof row !== 'object' || Array.isArray(row))
          throw rowError(r, pre.input.columns[0] ?? '', 'expected an object keyed by column name');
        const cells = pre.encoders.map((e) => {
          if (!(e.column in row)) throw rowError(r, e.column, 'is missing (give null or "" for a missing value)');
          return textCell((row as Record<string, unknown>)[e.column], r, e.column);
        });
        encodeRow(
          pre.encoders,
          cells,
          cells.map((_, i) => i),
          out,
          offset,
          `row ${r}`,
        );
        return;
      }
    }
  });
  const scaled = new Float32Array(out.length);
  const { mean, std } = pre.featureScaler;
  const scale = pre.input.kind === 'tabular' || pre.input.kind === 'image';
  for (let i = 0; i < out.length; i++) {
    const c = i % width;
    scaled[i] = scale ? ((out[i] as number) - (mean[c] ?? 0)) / (std[c] ?? 1) : (out[i] as number);
  }
  return scaled;
}

/** A series row's values: an array of numbers, or an object whose series column holds one. */
export function seriesValues(row: RawRow, column: string, r: number): number[] {
  return numbers(Array.isArray(row) ? row : cell(row, column, r), r, column);
}

/** A regression output (standardized, maybe log) back in the target's units. */
export function toTargetUnits(scaler: TargetScaler | null, value: number): number {
  if (!scaler) return value;
  const raw = value * scaler.std + scaler.mean;
  return scaler.log ? Math.expm1(raw) : raw;
}

function cell(row: RawRow, column: string, r: number): unknown {
  if (typeof row !== 'object' || Array.isArray(row)) throw rowError(r, column, 'expected an object keyed by column name');
  if (!(column in row)) throw rowError(r, column, 'is missing');
  return (row as Record<string, unknown>)[column];
}

/** Tabular cells as the CSV reader would give them: missing → ''. */
function textCell(value: unknown, r: number, column: string): string {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw rowError(r, column, `is ${value}`);
    return String(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  throw rowError(r, column, `expected a number or a text, got ${Array.isArray(value) ? 'an array' : typeof value}`);
}

function numeric(value: unknown, r: number, column: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw rowError(r, column, `expected a number, got ${JSON.stringify(value)}`);
  return n;
}

function numbers(value: unknown, r: number, column: string): number[] {
  if (!Array.isArray(value)) throw rowError(r, column, 'expected an array of numbers');
  return value.map((v) => numeric(v, r, column));
}

function rowError(row: number, column: string, problem: string): InputError {
  return new InputError(`row ${row}: column "${column}" ${problem}`);
}
