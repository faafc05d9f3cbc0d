import { duplicatesAvoided } from '../controller/duplicates.js';
import { diagnosesOf, isBaseline } from '../core/annotations.js';
import { rankCompleted } from '../core/rank.js';
import type { Direction, Metrics, ParamValue, TrialRecord, TrialState } from '../core/types.js';
import { formatTable } from './table.js';

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

/**
 * Flat params as one compact line, branches in brackets:
 * `model=mlp(layers=2 units=52) optimizer=adam learningRate=0.0040`.
 */
export function formatParams(params: Readonly<Record<string, ParamValue>>, prefix = ''): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    if (name.includes('.')) continue;
    const inner = formatParams(params, `${key}.${String(value)}.`);
    parts.push(`${name}=${formatParam(value)}${inner ? `(${inner})` : ''}`);
  }
  return parts.join(' ');
}

/**
 * A trial's value; a series trial ranked on several backtests shows their spread too (`3.4120 ± 0.5210`, the
 * sample standard deviation over windows), so a lucky window is visible next to the mean it was ranked by.
 */
export function formatTrialValue(trial: Pick<TrialRecord, 'values' | 'metrics'>): string {
  const value = formatValue(trial.values?.[0]);
  const windows = trial.metrics.backtest_windows;
  const spread = trial.metrics.backtest_std;
  return windows !== undefined && windows > 1 && spread !== undefined ? `${value} ± ${formatValue(spread)}` : value;
}

/** Prints the best `top` complete trials, one line each, with a line for failures. */
export function printTopTrials(trials: readonly TrialRecord[], direction: Direction, top: number): void {
  const ranked = rankCompleted(trials, direction).slice(0, top);
  if (ranked.length > 0) {
    const values = ranked.map(formatTrialValue);
    const width = Math.max(10, ...values.map((v) => v.length));
    console.log(`\n${'trial'.padStart(6)}  ${'value'.padEnd(width)}  ${'backend'.padEnd(7)}  params`);
    ranked.forEach((t, i) => {
      console.log(
        `${String(t.number).padStart(6)}  ${(values[i] as string).padEnd(width)}  ${(t.backend ?? '-').padEnd(7)}  ${isBaseline(t) ? 'baseline: ' : ''}${formatParams(t.params)}`,
      );
      for (const d of diagnosesOf(t)) console.log(`${' '.repeat(18 + width)}! ${d}`);
    });
  }
  const failed = trials.filter((t) => t.state === 'failed');
  if (failed.length > 0) {
    console.log(
      `${failed.length} failed: ${failed
        .slice(0, 5)
        .map((t) => `#${t.number} ${t.failReason}`)
        .join('; ')}`,
    );
  }
  const pruned = trials.filter((t) => t.state === 'pruned').length;
  if (pruned > 0) console.log(`${pruned} pruned early`);
  const duplicates = duplicatesAvoided(trials);
  if (duplicates.candidates > 0) {
    console.log(
      `${duplicates.candidates} duplicate configuration${duplicates.candidates > 1 ? 's' : ''} not run (${duplicates.trials} trial${duplicates.trials > 1 ? 's' : ''} resampled)`,
    );
  }
}

/** A trial's test-split metrics as one line (`test_accuracy = 0.9630, test_loss = 0.1021`); empty when it has none. */
export function formatTestMetrics(metrics: Metrics): string {
  return Object.entries(metrics)
    .filter(([key, value]) => key.startsWith('test_') && typeof value === 'number')
    .map(([key, value]) => `${key} = ${formatValue(value)}`)
    .join(', ');
}

/**
 * Prints the trials in `states` as a table with their reasons (why a trial was pruned or failed): complete ones best
 * first, the others by number; at most `top` rows, saying how many more there are.
 */
export function printTrialsInStates(
  trials: readonly TrialRecord[],
  states: readonly TrialState[],
  direction: Direction,
  top: number,
): void {
  const wanted = new Set(states);
  const complete = wanted.has('complete') ? rankCompleted(trials, direction) : [];
  const listed = new Set(complete);
  const others = trials.filter((t) => wanted.has(t.state) && !listed.has(t)).sort((a, b) => a.number - b.number);
  const matching = [...complete, ...others];
  if (matching.length === 0) {
    console.log(`\nno ${states.join(' or ')} trials`);
    return;
  }
  const rows = matching
    .slice(0, top)
    .map((t) => [
      String(t.number),
      t.state,
      formatValue(t.values?.[0]),
      t.lastStep === null ? '-' : String(t.lastStep),
      t.failReason ?? '-',
      formatParams(t.params),
    ]);
  console.log(`\n${formatTable(['trial', 'state', 'value', 'step', 'reason', 'params'], rows)}`);
  if (matching.length > top) console.log(`… and ${matching.length - top} more (--top ${matching.length} lists them all)`);
}
