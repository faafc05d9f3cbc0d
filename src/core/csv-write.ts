/** A cell of written CSV: empty for null, `true`/`false`, numbers in full precision, anything else as text. */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * One CSV field per RFC 4180: quoted when it holds a comma, a quote, a CR or an LF, with quotes doubled.
 *
 * @example csvCell('say "hi", twice') // '"say ""hi"", twice"'
 */
export function csvCell(value: CsvValue): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record (without its line end). */
export function csvRecord(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}
