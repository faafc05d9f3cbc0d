import { InputError } from '../core/errors.js';
import { csvRecord, type CsvValue } from '../core/csv-write.js';
import type { RawTable } from '../data/csv.js';
import { lineOf } from '../data/csv.js';
import { readTable } from '../data/read.js';
import { loadModel, type Predictor } from '../export/predictor.js';
import type { RawRow } from '../data/fitted-preprocessing.js';
import { checkHorizon } from './horizon.js';
import { fileSink, stdoutSink, type OutputSink } from './output-file.js';
import { seriesFromTable } from './series-input.js';

export interface PredictFlags {
  out?: string;
  probabilities?: boolean;
  horizon?: number;
}

/** Rows per call to the predictor: large files stay flat in memory. */
const BATCH = 1024;

/**
 * `autotune predict DIR input [--out preds.csv] [--probabilities] [--horizon N]`: one CSV line per input row (per
 * series for a series export). Everything is read and checked before output begins where it can be, and `--out` is
 * written under a temporary name, so a failed prediction leaves no file.
 */
export async function predictCommand(dir: string, input: string, flags: PredictFlags): Promise<void> {
  const predictor = await loadModel(dir);
  try {
    checkHorizon(predictor, dir, flags.horizon);
    const table = readTable(input);
    const sink = flags.out ? fileSink(flags.out) : stdoutSink();
    try {
      await writePredictions(predictor, table, flags, sink);
      sink.commit();
    } catch (error) {
      sink.abort();
      throw error;
    }
  } finally {
    predictor.dispose();
  }
}

async function writePredictions(predictor: Predictor, table: RawTable, flags: PredictFlags, sink: OutputSink): Promise<void> {
  const { manifest } = predictor;
  const line = (cells: readonly CsvValue[]) => `${csvRecord(cells)}\n`;
  if (manifest.input.kind === 'series') {
    const { series, perRow } = seriesFromTable(table, manifest.input.columns[0] as string);
    const horizon = flags.horizon;
    if (!(await sink.write(line(horizon === undefined ? ['prediction'] : Array.from({ length: horizon }, (_, i) => `t+${i + 1}`))))) return;
    for (let start = 0; start < series.length; start += BATCH) {
      const batch = series.slice(start, start + BATCH);
      const rows = located(
        table,
        start,
        () => (horizon === undefined ? predictor.predict(batch).map((p) => [p]) : predictor.forecast(batch, horizon)),
        !perRow,
      );
      if (!(await sink.write(rows.map(line).join('')))) return;
    }
    return;
  }
  const labels = manifest.labels;
  const withProba = flags.probabilities && manifest.task === 'classification';
  if (!(await sink.write(line(['prediction', ...(withProba ? labels.map((l) => `p(${l})`) : [])])))) return;
  for (let start = 0; start < table.rows.length; start += BATCH) {
    // Rows are objects keyed by the header, as the predictor expects; a text export reads its one column.
    const rows = table.rows
      .slice(start, start + BATCH)
      .map((cells) => Object.fromEntries(table.columns.map((c, i) => [c, cells[i] ?? ''])));
    const single: RawRow[] = manifest.input.kind === 'text' ? rows.map((r) => String(r[manifest.input.columns[0] as string] ?? '')) : rows;
    const out = located(table, start, () => {
      const predictions = predictor.predict(single);
      const probabilities = withProba ? predictor.predictProba(single) : [];
      return predictions.map((p, i) => [p, ...(probabilities[i] ?? [])]);
    });
    if (!(await sink.write(out.map(line).join('')))) return;
  }
}

/** Runs a batch; the predictor's errors count rows from the batch, so they are reported as lines of the file. */
function located<T>(table: RawTable, start: number, run: () => T, wholeFile = false): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const message = wholeFile
      ? error.message.replace(/^row \d+: /, '')
      : error.message.replace(/^row (\d+)/, (_, r: string) => `line ${lineOf(table, start + Number(r))}`);
    throw new InputError(`${table.file}: ${message}`, { file: table.file });
  }
}
