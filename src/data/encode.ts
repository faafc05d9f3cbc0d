import { InputError } from '../core/errors.js';
import { median } from '../maths/stats.js';
import { quoteCell, type RawTable } from './csv.js';

/** How one raw column becomes model inputs; fitted on the training split and kept for prediction. */
export type ColumnEncoder =
  | {
      readonly kind: 'numeric';
      readonly column: string;
      /** Value that replaces a missing cell (the training mean, median or most frequent value). */
      readonly fill: number;
      /** Whether an extra 0/1 input says the cell was missing. */
      readonly indicator: boolean;
    }
  | {
      readonly kind: 'categorical';
      readonly column: string;
      /**
       * `onehot`: one 0/1 input per category, a missing or unseen value is all zeros. `ordinal`: one input holding
       * the category's index + 1, a missing or unseen value is 0.
       */
      readonly encoding: 'onehot' | 'ordinal';
      /** The known categories, sorted. */
      readonly categories: readonly string[];
      /** The category a missing cell takes (impute: most_frequent), or null to leave it unknown. */
      readonly fill: string | null;
    };

export interface EncoderOptions {
  readonly impute: 'mean' | 'median' | 'most_frequent';
  readonly missingIndicators: boolean;
  readonly encoding: 'onehot' | 'ordinal';
  /** Most frequent categories kept per column; rarer ones are encoded as unseen ones are. */
  readonly maxCategories: number;
}

/**
 * Fits one encoder per feature column on the training rows: a column whose present values are (at least 95 %)
 * numbers is numeric (missing cells imputed, optionally flagged), any other is categorical. Statistics come from
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
      return {
        kind: 'numeric',
        column: name,
        fill: numericFill(numbers, options.impute),
        indicator: options.missingIndicators && present.length < values.length,
      };
    }
    const ranked = byFrequency(present);
    const categories = ranked.slice(0, options.maxCategories).sort();
    const fill = options.impute === 'most_frequent' ? (ranked[0] ?? null) : null;
    return { kind: 'categorical', column: name, encoding: options.encoding, categories, fill };
  });
}

function numericFill(numbers: readonly number[], impute: EncoderOptions['impute']): number {
  if (numbers.length === 0) return 0;
  if (impute === 'median') return median(numbers);
  if (impute === 'mean') return numbers.reduce((s, v) => s + v, 0) / numbers.length;
  return Number(byFrequency(numbers)[0]);
}

/** Distinct values, most frequent first; ties in ascending order, so the choice does not depend on row order. */
function byFrequency<T extends string | number>(values: readonly T[]): T[] {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ascending = (a: T, b: T) => (typeof a === 'number' ? a - (b as number) : (a as string).localeCompare(b as string));
  return [...counts].sort((a, b) => b[1] - a[1] || ascending(a[0], b[0])).map(([v]) => v);
}

/** Number of model inputs the encoders produce. */
export function encodedWidth(encoders: readonly ColumnEncoder[]): number {
  return encoders.reduce((w, e) => w + inputsOf(e), 0);
}

function inputsOf(e: ColumnEncoder): number {
  if (e.kind === 'numeric') return e.indicator ? 2 : 1;
  return e.encoding === 'ordinal' ? 1 : e.categories.length;
}

/** Names of the encoded inputs: `bill_length_mm`, `bill_length_mm:missing`, `island=Biscoe`, `island` (ordinal). */
export function encodedNames(encoders: readonly ColumnEncoder[]): string[] {
  return encoders.flatMap((e) => {
    if (e.kind === 'numeric') return e.indicator ? [e.column, `${e.column}:missing`] : [e.column];
    return e.encoding === 'ordinal' ? [e.column] : e.categories.map((c) => `${e.column}=${c}`);
  });
}

/** Which encoded inputs hold measured values (to scale): numbers and ordinal codes; indicators and one-hot codes stay 0/1. */
export function measuredInputs(encoders: readonly ColumnEncoder[]): boolean[] {
  return encoders.flatMap((e) => {
    if (e.kind === 'numeric') return e.indicator ? [true, false] : [true];
    return e.encoding === 'ordinal' ? [true] : e.categories.map(() => false);
  });
}

/**
 * Encodes one raw row into `out` at `offset`; a non-number in a numeric column is an error that starts with `where`
 * (`data.csv: line 17`, or `row 3` for rows given in code) and names the column.
 */
export function encodeRow(
  encoders: readonly ColumnEncoder[],
  cells: readonly string[],
  columns: readonly number[],
  out: Float64Array,
  offset: number,
  where: string,
): void {
  let at = offset;
  encoders.forEach((e, i) => {
    const text = cells[columns[i] as number] ?? '';
    if (e.kind === 'categorical') {
      const index = e.categories.indexOf(text === '' ? (e.fill ?? '') : text);
      if (e.encoding === 'ordinal') out[at++] = index + 1;
      else for (let k = 0; k < e.categories.length; k++) out[at++] = k === index ? 1 : 0;
      return;
    }
    const missing = text === '';
    const value = missing ? e.fill : Number(text);
    if (!Number.isFinite(value)) {
      throw new InputError(`${where}: column "${e.column}" is not numeric (${quoteCell(text)})`);
    }
    out[at++] = value;
    if (e.indicator) out[at++] = missing ? 1 : 0;
  });
}
