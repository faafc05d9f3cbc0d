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

/**
 * Fold `fold` of a k-fold split of the training and validation rows: that fold validates, the other k−1 train, and
 * the test rows stay as they were. Folds are dealt class by class after a seeded shuffle, so each keeps the class
 * proportions and every trial of a study sees the same folds.
 *
 * @example foldSplit(split, 5, 0, new Rng(seed).fork('folds'), labels)
 */
export function foldSplit(split: SplitIndices, folds: number, fold: number, rng: Rng, strata?: readonly (string | number)[]): SplitIndices {
  const pool = [...split.train, ...split.validation].sort((a, b) => a - b);
  const groups = new Map<string | number, number[]>();
  for (const row of pool) {
    const key = strata ? (strata[row] as string | number) : 0;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const train: number[] = [];
  const validation: number[] = [];
  let dealt = 0;
  for (const key of [...groups.keys()].sort()) {
    for (const row of rng.shuffle([...(groups.get(key) as number[])])) (dealt++ % folds === fold ? validation : train).push(row);
  }
  return { train, validation: validation.sort((a, b) => a - b), test: split.test };
}
