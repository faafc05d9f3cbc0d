import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Refuses an export whose files differ from the checksums its manifest recorded, naming the first that does. */
export function verifyChecksums(dir: string, checksums: Readonly<Record<string, string>>): void {
  for (const [file, expected] of Object.entries(checksums)) {
    const path = join(dir, file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new InputError(`${path}: missing or unreadable (listed in the export's manifest)`, { file: path, cause: error });
    }
    if (sha256(bytes) !== expected)
      throw new InputError(`${path}: does not match the checksum in autotune.json; the export was modified or corrupted`, { file: path });
  }
}
