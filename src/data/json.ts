import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { LIMITS } from '../space/limits.js';
import type { RawTable } from './csv.js';

/**
 * Reads JSON Lines (one object per line) or a JSON array of objects as a table of strings: the columns are the
 * union of the keys in order of first appearance; a missing key or null is a missing value. A line that is not an
 * object is an error naming the file and the line.
 *
 * @example readJsonRows('datasets/spam_assassin.jsonl').columns // ['text', 'label', 'group']
 */
export function readJsonRows(file: string, options: { maxRows?: number } = {}): RawTable {
  let text: string;
  try {
    if (statSync(file).size > LIMITS.fileBytes) throw new InputError(`${file}: over the ${LIMITS.fileBytes}-byte dataset limit`, { file });
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${file}: cannot read the dataset (${(error as Error).message})`, { file, cause: error });
  }
  const objects: { value: unknown; line: number }[] = [];
  if (text.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new InputError(`${file}: not valid JSON (${(error as Error).message})`, { file, cause: error });
    }
    (parsed as unknown[]).forEach((value, i) => objects.push({ value, line: i + 1 }));
  } else {
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        objects.push({ value: JSON.parse(line), line: i + 1 });
      } catch (error) {
        throw new InputError(`${file}: line ${i + 1} is not valid JSON (${(error as Error).message})`, { file, cause: error });
      }
    });
  }
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
  return { file, columns, rows };
}
