import type { ParamValue, TrialRecord } from '../../core/types.js';

/** Most trials compared side by side: more columns than this stop being readable. */
export const MAX_COMPARED = 8;

export interface ComparedRow<T> {
  readonly name: string;
  /** One per compared trial, in the order asked for; null where the trial has none (an inactive parameter). */
  readonly values: readonly (T | null)[];
  /** Whether the trials disagree on it: the rows to look at first. */
  readonly differs: boolean;
}

function rows<T extends ParamValue>(
  trials: readonly TrialRecord[],
  pick: (t: TrialRecord) => Readonly<Record<string, T>>,
): ComparedRow<T>[] {
  const names = [...new Set(trials.flatMap((t) => Object.keys(pick(t))))].sort();
  return names.map((name) => {
    const values = trials.map((t) => pick(t)[name] ?? null);
    return { name, values, differs: new Set(values.map((v) => (v === null ? '\u0000' : `${typeof v}:${String(v)}`))).size > 1 };
  });
}

/** Parameters and final metrics of some trials, one row per name over all of them. */
export function compareTrials(trials: readonly TrialRecord[]): { params: ComparedRow<ParamValue>[]; metrics: ComparedRow<number>[] } {
  return { params: rows(trials, (t) => t.params), metrics: rows(trials, (t) => t.metrics) };
}
