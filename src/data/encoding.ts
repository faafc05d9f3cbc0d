import { isUtf8 } from 'node:buffer';
import { InputError } from '../core/errors.js';

/**
 * Refuses a dataset that is not UTF-8, naming the first bad line. We do not fall back to Latin-1: every byte
 * sequence is valid Latin-1, so the fallback would also "succeed" on Windows-1252, Shift-JIS or UTF-16 files and
 * quietly turn their text into categories and tokens that never match what the user sees. Decoding with
 * replacement characters (what Node does by default) loses the same information silently. One re-save as UTF-8
 * costs the user less than a model trained on mangled labels.
 */
export function assertUtf8(file: string, bytes: Buffer): void {
  if (isUtf8(bytes)) return;
  // 0x0A never occurs inside a multi-byte UTF-8 sequence, so lines can be checked one by one.
  let line = 0;
  for (let start = 0; start <= bytes.length; ) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    line++;
    if (!isUtf8(bytes.subarray(start, end))) {
      const text = bytes.toString('utf8', start, Math.min(end, start + 4096));
      const at = Math.max(0, text.indexOf('\uFFFD'));
      const near = text.slice(Math.max(0, at - 30), at + 1);
      throw new InputError(
        `${file}: line ${line} is not UTF-8 text (near "${near}"); save the file as UTF-8 (it may be Latin-1, Windows-1252 or UTF-16)`,
        { file },
      );
    }
    start = end + 1;
  }
}
