import type { Database } from 'better-sqlite3';
import { StorageError } from '../../core/errors.js';
import { importedUri, STUDY_ROW_COLUMNS, type StudyImport, studyRowValues } from '../study-import.js';
import { stringifyNumbers } from './rows.js';

/**
 * Writes an imported study in one immediate transaction and returns its new id. The encodings are those of the
 * writes that made the records (rows.ts), so the study reads back as it was read from its source. Everything
 * imported is the study's change 1, which a feed reader from 0 sees.
 */
export function importStudyInto(db: Database, input: StudyImport): number {
  const { study } = input;
  const write = db.transaction((): number => {
    const studyId = Number(
      db.prepare(`INSERT INTO studies (${STUDY_ROW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...studyRowValues(input))
        .lastInsertRowid,
    );
    db.prepare('INSERT INTO study_changes (study_id, seq) VALUES (?, 1)').run(studyId);
    const metric = db.prepare('INSERT OR IGNORE INTO study_metrics (study_id, name) VALUES (?, ?)');
    for (const name of input.stepMetrics) metric.run(studyId, name);
    const trialRow = db.prepare(
      `INSERT INTO trials (study_id, number, state, params, distributions, "values", metrics, seed, backend, fail_reason, last_step,
         user_attrs, system_attrs, created_at, started_at, finished_at, heartbeat_at, step_count, change_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    );
    const stepRow = db.prepare(
      'INSERT INTO trial_steps (trial_id, step, metrics, recorded_at, study_id, change_seq) VALUES (?, ?, ?, ?, ?, 1)',
    );
    const artifactRow = db.prepare('INSERT INTO artifacts (trial_id, kind, uri, bytes, created_at) VALUES (?, ?, ?, ?, ?)');
    for (const { trial: t, steps, artifacts } of input.trials) {
      const trialId = Number(
        trialRow.run(
          studyId,
          t.number,
          t.state,
          JSON.stringify(t.params),
          JSON.stringify(t.distributions),
          t.values === null ? null : stringifyNumbers(t.values),
          stringifyNumbers(t.metrics),
          t.seed,
          t.backend,
          t.failReason,
          t.lastStep,
          JSON.stringify(t.userAttrs),
          JSON.stringify(t.systemAttrs),
          t.createdAt,
          t.startedAt,
          t.finishedAt,
          t.heartbeatAt,
          steps.length,
        ).lastInsertRowid,
      );
      for (const s of steps) stepRow.run(trialId, s.step, stringifyNumbers(s.metrics), s.recordedAt, studyId);
      for (const a of artifacts) artifactRow.run(trialId, a.kind, importedUri(a, trialId), a.bytes, a.createdAt);
    }
    return studyId;
  });
  try {
    return write.immediate();
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new StorageError(`a study named "${study.name}" already exists`, { cause: error });
    }
    throw error;
  }
}
