import { InputError } from '../core/errors.js';
import { median } from '../maths/stats.js';
import type { RawTable } from './csv.js';

/** How one raw column becomes model inputs; fitted on the training split and kept for prediction. */
export type ColumnEncoder =
  | {
      readonly kind: 'numeric';
      readonly column: string;
      /** Value that replaces a missing cell (the training mean or median). */
      readonly fill: number;
      /** Whether an extra 0/1 input says the cell was missing. */
      readonly indicator: boolean;
    }
  | {
      readonly kind: 'categorical';
      readonly column: string;
      /** One input per category (one-hot); a missing or unseen category is all zeros. */
      readonly categories: readonly string[];
    };

export interface EncoderOptions {
  readonly impute: 'mean' | 'median';
  readonly missingIndicators: boolean;
  /** Most frequent categories kept per column; rarer ones share the all-zero code with unseen ones. */
  readonly maxCategories: number;
}

/**
 * Fits one encoder per feature column on the training rows: a column whose present values are (at least 95 %)
 * numbers is numeric (missing cells imputed, optionally flagged), any other is categorical (one-hot). Statistics come from
 * the training rows only, so validation and test rows are encoded as new data would be.
 */
export function fitEncoders(
  table: RawTable,
  columns: readonly number[],
  trainRows: readonly number[],
  options: EncoderOptions,
): ColumnEncoder[] {
  return columns.map((column) => {
    const name = table.columns[column] as string;
    const values = trainRows.map((r) => table.rows[r]![column] ?? '');
    const present = values.filter((v) => v !== '');
    const numbers = present.map(Number).filter(Number.isFinite);
    // Mostly numbers with a few stray words is a dirty numeric column, not a category: encoding reports the
    // stray cells by line instead of silently one-hot encoding hundreds of numbers.
    if (numbers.length >= 0.95 * present.length) {
      const fill = numbers.length === 0 ? 0 : options.impute === 'median' ? median(numbers) : numbers.reduce((s, v) => s + v, 0) / numbers.length;
      return { kind: 'numeric', column: name, fill, indicator: options.missingIndicators && present.length < values.length };
    }
    const counts = new Map<string, number>();
    for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
    const kept = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, options.maxCategories);
    return { kind: 'categorical', column: name, categories: kept.map(([v]) => v).sort() };
  });
}

/** Number of model inputs the encoders produce. */
export function encodedWidth(encoders: readonly ColumnEncoder[]): number {
  return encoders.reduce((w, e) => w + (e.kind === 'numeric' ? (e.indicator ? 2 : 1) : e.categories.length), 0);
}

/** Names of the encoded inputs: `bill_length_mm`, `bill_length_mm:missing`, `island=Biscoe`. */
export function encodedNames(encoders: readonly ColumnEncoder[]): string[] {
  return encoders.flatMap((e) =>
    e.kind === 'numeric' ? (e.indicator ? [e.column, `${e.column}:missing`] : [e.column]) : e.categories.map((c) => `${e.column}=${c}`),
  );
}

/** Which encoded inputs hold measured values (to standardize); indicators and one-hot codes stay 0/1. */
export function measuredInputs(encoders: readonly ColumnEncoder[]): boolean[] {
  return encoders.flatMap((e) => (e.kind === 'numeric' ? (e.indicator ? [true, false] : [true]) : e.categories.map(() => false)));
}

/** Encodes one raw row into `out` at `offset`; a non-number in a numeric column names the column and the line. */
export function encodeRow(
  encoders: readonly ColumnEncoder[],
  cells: readonly string[],
  columns: readonly number[],
  out: Float64Array,
  offset: number,
  where: { file: string; line: number },
): void {
  let at = offset;
  encoders.forEach((e, i) => {
    const text = cells[columns[i] as number] ?? '';
    if (e.kind === 'categorical') {
      const index = e.categories.indexOf(text);
      for (let k = 0; k < e.categories.length; k++) out[at++] = k === index ? 1 : 0;
      return;
    }
    const missing = text === '';
    const value = missing ? e.fill : Number(text);
    if (!Number.isFinite(value)) {
      throw new InputError(`${where.file}: column "${e.column}" is not numeric (line ${where.line}: "${text}")`, { file: where.file });
    }
    out[at++] = value;
    if (e.indicator) out[at++] = missing ? 1 : 0;
  });
}
