import type { Rng } from '../core/rng.js';

/** Row indices of each split. */
export interface SplitIndices {
  readonly train: readonly number[];
  readonly validation: readonly number[];
  readonly test: readonly number[];
}

/**
 * A seeded train / validation / test split. With `strata` (one class label per row), every class is split in the
 * same proportions, so a rare class cannot vanish from validation or test.
 *
 * @example splitRows(150, { validation: 0.15, test: 0.15 }, rng, labels)
 */
export function splitRows(
  rowCount: number,
  fractions: { readonly validation: number; readonly test: number },
  rng: Rng,
  strata?: readonly (string | number)[],
): SplitIndices {
  const groups = new Map<string | number, number[]>();
  for (let i = 0; i < rowCount; i++) {
    const key = strata ? (strata[i] as string | number) : 0;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  }
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  for (const key of [...groups.keys()].sort()) {
    const rows = rng.shuffle([...(groups.get(key) as number[])]);
    const nTest = Math.round(rows.length * fractions.test);
    const nValidation = Math.round(rows.length * fractions.validation);
    // A loop, not push(...slice): spreading a group of ~150,000 rows as arguments overflows the stack.
    rows.forEach((row, i) => (i < nTest ? test : i < nTest + nValidation ? validation : train).push(row));
  }
  return { train: rng.shuffle(train), validation: validation.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
