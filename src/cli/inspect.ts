import { InputError } from '../core/errors.js';
import type { Direction } from '../core/types.js';
import { openStorage } from '../storage/open.js';
import type { DataQualityReport } from '../data/quality.js';
import type { StoredEnsemble } from '../ensemble/study-ensemble.js';
import { baselineLines } from './baseline-lift.js';
import { rankCompleted } from '../core/rank.js';
import type { StudyRecord, TrialState } from '../core/types.js';
import type { Storage } from '../storage/storage.js';
import { formatTestMetrics, formatValue, printTopTrials, printTrialsInStates } from './format.js';
import { formatTable } from './table.js';

function printQuality(q: DataQualityReport): void {
  console.log(`\ndata: ${q.file}: ${q.rows} rows, ${q.columns.length} columns`);
  // Wide tables (images) would drown the report: columns with missing values come first, at most 15 lines.
  const shown = [...q.columns].sort((a, b) => b.missing - a.missing).slice(0, 15);
  for (const c of shown) {
    const notes = [
      c.type,
      c.missing > 0 ? `${c.missing} missing` : '',
      c.outliers > 0 ? `${c.outliers} outliers (IQR)` : '',
      `${c.distinct} distinct`,
    ];
    console.log(`  ${c.name.padEnd(24)} ${notes.filter(Boolean).join(', ')}`);
  }
  if (q.columns.length > shown.length) console.log(`  … and ${q.columns.length - shown.length} more columns`);
  for (const w of q.warnings) console.log(`  ! ${w}`);
}

/** The ensemble line of `autotune show` and `autotune ensemble`: members, then test score against the best single trial. */
export function printEnsemble(e: StoredEnsemble): void {
  const score = (v: number | null) => (v === null ? '—' : formatValue(v));
  console.log(
    `\nensemble (${e.method}, from ${e.candidates} candidates): ${e.members.map((m) => `trial ${m.trial} × ${m.weight.toFixed(3)}`).join(', ')}`,
  );
  console.log(
    `  ${e.metric}: validation ${score(e.validationScore)}; test ${score(e.testScore)} against the best single trial ${e.bestSingle.trial}: ${score(e.bestSingle.testScore)}`,
  );
  if (e.replaced) {
    console.log(
      `  (the ${e.replaced.method} ensemble scored ${score(e.replaced.validationScore)} on validation, below the best single trial: that trial stands in its place)`,
    );
  }
}

/** The ensemble a study built, or why it built none (nothing when it never asked for one). */
export function printEnsembleOutcome(ensemble: StoredEnsemble | undefined, error: string | undefined): void {
  if (ensemble) printEnsemble(ensemble);
  else if (error) console.log(`\nensemble: not built (${error})`);
}

/** Storage for a command that only reads: a database without autotune's studies is refused, and nothing written. */
export async function openExisting(url: string) {
  return openStorage(url, { create: false });
}

/** The study of that name, or an InputError listing the studies there are. */
export async function requireStudy(storage: Storage, name: string): Promise<StudyRecord> {
  const study = await storage.findStudy(name);
  if (study) return study;
  const names = (await storage.listStudies()).map((s) => s.name);
  throw new InputError(`no study named "${name}" in ${storage.url} (studies: ${names.join(', ') || 'none'})`);
}

/** `autotune studies`: one line per study with its trial counts and best value. */
export async function studiesCommand(flags: { storage: string }): Promise<void> {
  const storage = await openExisting(flags.storage);
  try {
    const studies = await storage.listStudies();
    if (studies.length === 0) {
      console.log(`no studies in ${storage.url}`);
      return;
    }
    const rows: string[][] = [];
    for (const study of studies) {
      const trials = await storage.listTrials(study.id, { states: ['complete'] });
      const best = rankCompleted(trials, study.directions[0] as Direction)[0];
      const { complete, pruned, failed, running } = study.counts;
      rows.push([
        study.name,
        study.state,
        ...[complete, pruned, failed, running].map(String),
        formatValue(best?.values?.[0]),
        study.directions[0] ?? '-',
      ]);
    }
    console.log(formatTable(['study', 'state', 'complete', 'pruned', 'failed', 'running', 'best', 'direction'], rows));
  } finally {
    await storage.close();
  }
}

/** `autotune show <study> [--state pruned,failed]`: the study's best trials (or its trials in those states), the best trial's test metrics, ensemble and data report. */
export async function showCommand(name: string, flags: { storage: string; top: number; state?: readonly TrialState[] }): Promise<void> {
  const storage = await openExisting(flags.storage);
  try {
    const study = await requireStudy(storage, name);
    const trials = await storage.listTrials(study.id);
    const config = study.config as { objective?: { metric?: string } };
    console.log(
      `study "${study.name}" (${study.state}): ${trials.length} trials, ${config.objective?.metric ?? 'value'} ${study.directions[0]}`,
    );
    const direction = study.directions[0] as Direction;
    if (flags.state) printTrialsInStates(trials, flags.state, direction, flags.top);
    else printTopTrials(trials, direction, flags.top);
    const best = rankCompleted(trials, direction)[0];
    const tested = best ? formatTestMetrics(best.metrics) : '';
    if (best && tested) console.log(`\nbest trial ${best.number} on the test split: ${tested}`);
    for (const line of baselineLines(trials, config.objective?.metric ?? 'value', direction)) console.log(line);
    const error = study.systemAttrs.ensemble_error;
    printEnsembleOutcome(study.systemAttrs.ensemble as StoredEnsemble | undefined, error === undefined ? undefined : String(error));
    const quality = study.systemAttrs.data_quality as DataQualityReport | undefined;
    if (quality) printQuality(quality);
  } finally {
    await storage.close();
  }
}
