import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { LIMITS } from '../space/limits.js';

/** What a dataset reader may be told: `data.maxRows` and `data.maxBytes`. */
export interface ReadOptions {
  readonly maxRows?: number;
  readonly maxBytes?: number;
}

/**
 * The bytes of a dataset file, refused by its size on disk before any of it is read, so an oversized file costs a
 * stat rather than the memory to hold it. Returned undecoded: parsing from the Buffer avoids a second, decoded
 * copy of the whole file.
 */
export function readDatasetBytes(file: string, maxBytes: number = LIMITS.defaultFileBytes): Buffer {
  try {
    const size = statSync(file).size;
    if (size > maxBytes) {
      throw new InputError(`${file}: the dataset is ${megabytes(size)} (${size} bytes), over the data.maxBytes limit of ${megabytes(maxBytes)} (${maxBytes} bytes)`, { file });
    }
    return readFileSync(file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${file}: cannot read the dataset (${(error as Error).message})`, { file, cause: error });
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
