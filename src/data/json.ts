import { InputError } from '../core/errors.js';
import { LIMITS } from '../space/limits.js';
import type { RawTable } from './csv.js';
import { readDatasetBytes, type ReadOptions } from './size-limit.js';

/**
 * Reads JSON Lines (one object per line) or a JSON array of objects as a table of strings: the columns are the
 * union of the keys in order of first appearance; a missing key or null is a missing value. A line that is not an
 * object is an error naming the file and the line.
 *
 * @example readJsonRows('datasets/spam_assassin.jsonl').columns // ['text', 'label', 'group']
 */
export function readJsonRows(file: string, options: ReadOptions = {}): RawTable {
  // A byte-order mark is not JSON whitespace: JSON.parse would reject the first line.
  const raw = readDatasetBytes(file, options.maxBytes);
  const bytes = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.subarray(3) : raw;
  const objects: { value: unknown; line: number }[] = [];
  if (firstNonSpace(bytes) === '['.charCodeAt(0)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new InputError(`${file}: not valid JSON (${(error as Error).message})`, { file, cause: error });
    }
    (parsed as unknown[]).forEach((value, i) => objects.push({ value, line: i + 1 }));
  } else {
    // Line by line from the Buffer: JSON Lines never needs the whole file as one string.
    let line = 0;
    for (let start = 0; start < bytes.length; ) {
      const newline = bytes.indexOf(0x0a, start);
      const end = newline < 0 ? bytes.length : newline;
      const text = bytes.toString('utf8', start, end);
      line++;
      start = end + 1;
      if (text.trim() === '') continue;
      try {
        objects.push({ value: JSON.parse(text), line });
      } catch (error) {
        throw new InputError(`${file}: line ${line} is not valid JSON (${(error as Error).message})`, { file, cause: error });
      }
    }
  }
  if (objects.length === 0) throw new InputError(`${file}: the file holds no rows`, { file });
  const maxRows = options.maxRows ?? LIMITS.rows;
  if (objects.length > maxRows) throw new InputError(`${file}: more than ${maxRows} rows (data.maxRows)`, { file });
  const columns: string[] = [];
  const index = new Map<string, number>();
  for (const { value, line } of objects) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputError(`${file}: line ${line} is not a JSON object`, { file });
    }
    for (const key of Object.keys(value)) if (!index.has(key)) index.set(key, columns.push(key) - 1);
  }
  const rows = objects.map(({ value }) =>
    columns.map((key) => {
      const v = (value as Record<string, unknown>)[key];
      return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    }),
  );
  return { file, columns, rows, lines: objects.map(({ line }) => line) };
}

function firstNonSpace(bytes: Buffer): number | undefined {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return byte;
  return undefined;
}
