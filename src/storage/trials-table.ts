import { csvRecord, type CsvValue } from '../core/csv-write.js';
import type { StudyRecord, TrialRecord } from '../core/types.js';

/** One trial as a table row, keyed by column name. */
export type TrialsTableRow = Readonly<Record<string, CsvValue>>;

/** Every trial of a study as one table, what Optuna's `trials_dataframe()` gives: the same columns in CSV and JSON. */
export interface TrialsTable {
  readonly columns: readonly string[];
  readonly rows: readonly TrialsTableRow[];
}

/** Columns every table starts with; `value` becomes `values.0`, `values.1`, … for a study with several objectives. */
const LEADING = ['number', 'state', 'started_at', 'finished_at', 'duration_seconds', 'last_step', 'backend', 'reason'] as const;

/**
 * Builds the table of a study's trials, in trial-number order. Columns: `number`, `state`, the value(s), start and
 * finish as ISO 8601 UTC, `duration_seconds`, `last_step`, `backend`, `reason` (why a trial failed or was pruned),
 * then one `params.<flat name>` column per parameter (`params.model.mlp.units`; empty where the branch was not
 * active) and one `metrics.<name>` column per final metric (`metrics.val_accuracy`, `metrics.test_accuracy`).
 * Parameters keep the order in which the trials first used them; metrics are sorted by name.
 *
 * @example trialsTable(study, trials).columns // ['number', 'state', 'value', 'started_at', …, 'params.x', 'metrics.loss']
 */
export function trialsTable(study: StudyRecord, trials: readonly TrialRecord[]): TrialsTable {
  const objectives = Math.max(1, study.directions.length);
  const valueColumns = objectives === 1 ? ['value'] : Array.from({ length: objectives }, (_, i) => `values.${i}`);
  const params = new Set<string>();
  const metrics = new Set<string>();
  const sorted = [...trials].sort((a, b) => a.number - b.number);
  for (const t of sorted) {
    Object.keys(t.params).forEach((k) => params.add(k));
    Object.keys(t.metrics).forEach((k) => metrics.add(k));
  }
  const metricNames = [...metrics].sort();
  const columns = [
    LEADING[0],
    LEADING[1],
    ...valueColumns,
    ...LEADING.slice(2),
    ...[...params].map((p) => `params.${p}`),
    ...metricNames.map((m) => `metrics.${m}`),
  ];
  const rows = sorted.map((t): TrialsTableRow => {
    const row: Record<string, CsvValue> = {
      number: t.number,
      state: t.state,
      started_at: isoTime(t.startedAt),
      finished_at: isoTime(t.finishedAt),
      duration_seconds: t.startedAt !== null && t.finishedAt !== null ? (t.finishedAt - t.startedAt) / 1000 : null,
      last_step: t.lastStep,
      backend: t.backend,
      reason: t.failReason,
    };
    valueColumns.forEach((column, i) => (row[column] = finiteOrNull(t.values?.[i])));
    for (const p of params) row[`params.${p}`] = t.params[p] ?? null;
    for (const m of metricNames) row[`metrics.${m}`] = cell(t.metrics[m]);
    return row;
  });
  return { columns, rows };
}

/** The table as RFC 4180 CSV: a header record, CRLF line ends, empty cells for missing values. */
export function trialsCsv(table: TrialsTable): string {
  return `${[table.columns, ...table.rows.map((row) => table.columns.map((c) => row[c]))].map(csvRecord).join('\r\n')}\r\n`;
}

/** The table as JSON: an array of rows keyed by the same column names as the CSV, null for missing values. */
export function trialsJson(table: TrialsTable): string {
  return `${JSON.stringify(
    table.rows.map((row) => Object.fromEntries(table.columns.map((c) => [c, row[c] ?? null]))),
    null,
    2,
  )}\n`;
}

function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** NaN and infinities have no CSV or JSON spelling that tools agree on: they become empty. */
function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

function cell(value: unknown): CsvValue {
  if (typeof value === 'number') return finiteOrNull(value);
  if (value === undefined || value === null) return null;
  return typeof value === 'string' || typeof value === 'boolean' ? value : JSON.stringify(value);
}
