import type { Direction, ParamValue, TrialRecord } from '../core/types.js';

/** A number short enough for a table cell. */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e5) ? value.toExponential(3) : value.toFixed(4);
}

function formatParam(value: ParamValue): string {
  return typeof value === 'number' ? formatValue(value) : String(value);
}

/** Complete trials first, best first; then the rest by number. */
export function rankTrials(trials: readonly TrialRecord[], direction: Direction): TrialRecord[] {
  const sign = direction === 'minimize' ? 1 : -1;
  const complete = trials.filter((t) => t.state === 'complete' && t.values);
  return complete.sort((a, b) => sign * ((a.values?.[0] ?? 0) - (b.values?.[0] ?? 0)) || a.number - b.number);
}

/** Prints the best `top` complete trials as a table, with a line for failures. */
export function printTopTrials(trials: readonly TrialRecord[], direction: Direction, top: number): void {
  const ranked = rankTrials(trials, direction).slice(0, top);
  if (ranked.length > 0) {
    console.table(
      ranked.map((t) => ({
        trial: t.number,
        value: formatValue(t.values?.[0]),
        ...Object.fromEntries(Object.entries(t.params).map(([k, v]) => [k, formatParam(v)])),
        backend: t.backend ?? '-',
      })),
    );
  }
  const failed = trials.filter((t) => t.state === 'failed');
  if (failed.length > 0) {
    console.log(`${failed.length} failed: ${failed.slice(0, 5).map((t) => `#${t.number} ${t.failReason}`).join('; ')}`);
  }
}
