import { InputError } from '../core/errors.js';
import type { Direction } from '../core/types.js';
import { isPostgresUrl, openStorage } from '../storage/open.js';
import { existsSync } from 'node:fs';
import type { DataQualityReport } from '../data/quality.js';
import type { StoredEnsemble } from '../ensemble/study-ensemble.js';
import { rankCompleted } from '../core/rank.js';
import { formatValue, printTopTrials } from './format.js';

function printQuality(q: DataQualityReport): void {
  console.log(`\ndata: ${q.file}: ${q.rows} rows, ${q.columns.length} columns`);
  // Wide tables (images) would drown the report: columns with missing values come first, at most 15 lines.
  const shown = [...q.columns].sort((a, b) => b.missing - a.missing).slice(0, 15);
  for (const c of shown) {
    const notes = [c.type, c.missing > 0 ? `${c.missing} missing` : '', c.outliers > 0 ? `${c.outliers} outliers (IQR)` : '', `${c.distinct} distinct`];
    console.log(`  ${c.name.padEnd(24)} ${notes.filter(Boolean).join(', ')}`);
  }
  if (q.columns.length > shown.length) console.log(`  … and ${q.columns.length - shown.length} more columns`);
  for (const w of q.warnings) console.log(`  ! ${w}`);
}

/** The ensemble line of `autotune show` and `autotune ensemble`: members, then test score against the best single trial. */
export function printEnsemble(e: StoredEnsemble): void {
  const score = (v: number | null) => (v === null ? '—' : formatValue(v));
  console.log(`\nensemble (${e.method}, from ${e.candidates} candidates): ${e.members.map((m) => `trial ${m.trial} × ${m.weight.toFixed(3)}`).join(', ')}`);
  console.log(`  ${e.metric}: validation ${score(e.validationScore)}; test ${score(e.testScore)} against the best single trial ${e.bestSingle.trial}: ${score(e.bestSingle.testScore)}`);
}

export async function openExisting(url: string) {
  if (isPostgresUrl(url)) return openStorage(url);
  const path = url.startsWith('sqlite:') ? url.slice(7) : url;
  if (!path.startsWith(':') && !existsSync(path)) throw new InputError(`no database at ${path}`);
  return openStorage(url);
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
    const rows = [];
    for (const study of studies) {
      const trials = await storage.listTrials(study.id, { states: ['complete'] });
      const best = rankCompleted(trials, study.directions[0] as Direction)[0];
      rows.push({
        study: study.name,
        state: study.state,
        complete: study.counts.complete,
        pruned: study.counts.pruned,
        failed: study.counts.failed,
        running: study.counts.running,
        best: formatValue(best?.values?.[0]),
        direction: study.directions[0],
      });
    }
    console.table(rows);
  } finally {
    await storage.close();
  }
}

/** `autotune show <study>`: the study's definition summary and its best trials. */
export async function showCommand(name: string, flags: { storage: string; top: number }): Promise<void> {
  const storage = await openExisting(flags.storage);
  try {
    const study = await storage.findStudy(name);
    if (!study) {
      const names = (await storage.listStudies()).map((s) => s.name);
      throw new InputError(`no study named "${name}" in ${storage.url} (studies: ${names.join(', ') || 'none'})`);
    }
    const trials = await storage.listTrials(study.id);
    const config = study.config as { objective?: { metric?: string } };
    console.log(`study "${study.name}" (${study.state}): ${trials.length} trials, ${config.objective?.metric ?? 'value'} ${study.directions[0]}`);
    printTopTrials(trials, study.directions[0] as Direction, flags.top);
    const ensemble = study.systemAttrs.ensemble as StoredEnsemble | undefined;
    if (ensemble) printEnsemble(ensemble);
    else if (study.systemAttrs.ensemble_error) console.log(`\nensemble: not built (${String(study.systemAttrs.ensemble_error)})`);
    const quality = study.systemAttrs.data_quality as DataQualityReport | undefined;
    if (quality) printQuality(quality);
  } finally {
    await storage.close();
  }
}
