import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { LIMITS } from '../space/limits.js';
import { assertUtf8 } from './encoding.js';

/** What a dataset reader may be told: `data.maxRows` and `data.maxBytes`. */
export interface ReadOptions {
  readonly maxRows?: number;
  readonly maxBytes?: number;
}

/**
 * The bytes of a dataset file, refused by its size on disk before any of it is read, so an oversized file costs a
 * stat rather than the memory to hold it. Returned undecoded (parsing from the Buffer avoids a second, decoded
 * copy of the whole file) but checked to be UTF-8.
 */
export function readDatasetBytes(file: string, maxBytes: number = LIMITS.defaultFileBytes): Buffer {
  let bytes: Buffer;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new InputError(`${file}: is a directory, not a dataset file`, { file });
    // A device or FIFO reports size 0 and may never end (/dev/zero): only regular files are read.
    if (!stat.isFile()) throw new InputError(`${file}: not a regular file`, { file });
    if (stat.size > maxBytes) {
      throw new InputError(
        `${file}: the dataset is ${megabytes(stat.size)} (${stat.size} bytes), over the data.maxBytes limit of ${megabytes(maxBytes)} (${maxBytes} bytes)`,
        { file },
      );
    }
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${file}: cannot read the dataset (${(error as Error).message})`, { file, cause: error });
  }
  assertUtf8(file, bytes);
  return bytes;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
