import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * Appends what the running test counted (kills survived, documents tried, …) as one JSON line to the file named by
 * AUTOTUNE_RELIABILITY_LOG, for `npm run reliability` to put beside the test's row in bench/RELIABILITY.md: only the
 * test knows these numbers. Does nothing without the variable.
 */
export function recordCounts(counts: Record<string, number>): void {
  const log = process.env.AUTOTUNE_RELIABILITY_LOG;
  if (!log) return;
  const { testPath, currentTestName } = expect.getState();
  appendFileSync(log, `${JSON.stringify({ file: testPath, test: currentTestName, counts })}\n`);
}
