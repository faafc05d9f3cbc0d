import type pg from 'pg';
import { StorageError } from '../../core/errors.js';
import { importedUri, type StudyImport } from '../study-import.js';
import { stringifyNumbers } from '../sqlite/rows.js';

/**
 * Writes an imported study in one transaction on one client and returns its new id, with SQLite's encodings (see
 * migrations.ts). Its change counter starts at 1, the number every imported row carries, so a feed reader from 0
 * sees all of it. Parameterized statements, one per row: a copy is run once, not per trial.
 */
export async function importStudyInto(pool: pg.Pool, input: StudyImport, serverError: (error: unknown) => unknown): Promise<number> {
  const { study, note } = input;
  const client = await pool.connect().catch((error: unknown) => Promise.reject(serverError(error)));
  let broken = false;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO studies (name, directions, config, state, user_attrs, system_attrs, created_at, note, note_version, note_updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        study.name,
        JSON.stringify(study.directions),
        JSON.stringify(study.config),
        study.state,
        JSON.stringify(study.userAttrs),
        JSON.stringify(study.systemAttrs),
        study.createdAt,
        note.text,
        note.version,
        note.updatedAt,
      ],
    );
    const studyId = (rows[0] as { id: number }).id;
    await client.query('INSERT INTO study_changes (study_id, seq) VALUES ($1, 1)', [studyId]);
    if (input.stepMetrics.length > 0) {
      await client.query('INSERT INTO study_metrics (study_id, name) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [studyId, [...input.stepMetrics]]);
    }
    for (const { trial: t, steps, artifacts } of input.trials) {
      const inserted = await client.query<{ id: number }>(
        `INSERT INTO trials (study_id, number, state, params, distributions, "values", metrics, seed, backend, fail_reason, last_step,
           user_attrs, system_attrs, created_at, started_at, finished_at, heartbeat_at, step_count, change_seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 1) RETURNING id`,
        [
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
        ],
      );
      const trialId = (inserted.rows[0] as { id: number }).id;
      if (steps.length > 0) {
        await client.query(
          `INSERT INTO trial_steps (trial_id, step, metrics, recorded_at, study_id, change_seq)
           SELECT $1, s.step, s.metrics, s.recorded_at, $2, 1 FROM unnest($3::int[], $4::text[], $5::bigint[]) AS s(step, metrics, recorded_at)`,
          [trialId, studyId, steps.map((s) => s.step), steps.map((s) => stringifyNumbers(s.metrics)), steps.map((s) => s.recordedAt)],
        );
      }
      for (const a of artifacts) {
        await client.query('INSERT INTO artifacts (trial_id, kind, uri, bytes, created_at) VALUES ($1, $2, $3, $4, $5)', [
          trialId,
          a.kind,
          importedUri(a, trialId),
          a.bytes,
          a.createdAt,
        ]);
      }
    }
    await client.query('COMMIT');
    return studyId;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => (broken = true));
    if ((error as { code?: string }).code === '23505' && (error as { constraint?: string }).constraint === 'studies_name_key') {
      throw new StorageError(`a study named "${study.name}" already exists`, { cause: error });
    }
    throw serverError(error);
  } finally {
    client.release(broken);
  }
}
