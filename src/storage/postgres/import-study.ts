import type pg from 'pg';
import { StorageError } from '../../core/errors.js';
import { importedUri, STUDY_ROW_COLUMNS, type StudyImport, studyRowValues } from '../study-import.js';
import { stringifyNumbers } from '../sqlite/rows.js';

/**
 * Writes an imported study in one transaction on one client and returns its new id, with SQLite's encodings (see
 * migrations.ts). Its change counter starts at 1, the number every imported row carries, so a feed reader from 0
 * sees all of it. Parameterized statements, one per kind of row (arrays through unnest).
 */
export async function importStudyInto(pool: pg.Pool, input: StudyImport, serverError: (error: unknown) => unknown): Promise<number> {
  const { study } = input;
  const client = await pool.connect().catch((error: unknown) => Promise.reject(serverError(error)));
  let broken = false;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO studies (${STUDY_ROW_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      studyRowValues(input),
    );
    const studyId = (rows[0] as { id: number }).id;
    await client.query('INSERT INTO study_changes (study_id, seq) VALUES ($1, 1)', [studyId]);
    if (input.stepMetrics.length > 0) {
      await client.query('INSERT INTO study_metrics (study_id, name) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [
        studyId,
        [...input.stepMetrics],
      ]);
    }
    // A round trip costs milliseconds: each kind of row goes in one statement, whatever the study's size.
    const trials = input.trials.map((i) => i.trial);
    const column = <T>(pick: (t: (typeof trials)[number]) => T) => trials.map(pick);
    const inserted = await client.query<{ id: number; number: number }>(
      `INSERT INTO trials (study_id, number, state, params, distributions, "values", metrics, seed, backend, fail_reason, last_step,
         user_attrs, system_attrs, created_at, started_at, finished_at, heartbeat_at, step_count, change_seq)
       SELECT $1, t.*, 1 FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[],
         $10::text[], $11::int[], $12::text[], $13::text[], $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[], $18::int[]) AS t
       RETURNING id, number`,
      [
        studyId,
        column((t) => t.number),
        column((t) => t.state),
        column((t) => JSON.stringify(t.params)),
        column((t) => JSON.stringify(t.distributions)),
        column((t) => (t.values === null ? null : stringifyNumbers(t.values))),
        column((t) => stringifyNumbers(t.metrics)),
        column((t) => t.seed),
        column((t) => t.backend),
        column((t) => t.failReason),
        column((t) => t.lastStep),
        column((t) => JSON.stringify(t.userAttrs)),
        column((t) => JSON.stringify(t.systemAttrs)),
        column((t) => t.createdAt),
        column((t) => t.startedAt),
        column((t) => t.finishedAt),
        column((t) => t.heartbeatAt),
        input.trials.map((i) => i.steps.length),
      ],
    );
    const idOf = new Map(inserted.rows.map((r) => [r.number, r.id]));
    const steps = input.trials.flatMap(({ trial, steps }) => steps.map((s) => ({ trialId: idOf.get(trial.number) as number, ...s })));
    if (steps.length > 0) {
      await client.query(
        `INSERT INTO trial_steps (trial_id, step, metrics, recorded_at, study_id, change_seq)
         SELECT s.*, $1, 1 FROM unnest($2::int[], $3::int[], $4::text[], $5::bigint[]) AS s`,
        [
          studyId,
          steps.map((s) => s.trialId),
          steps.map((s) => s.step),
          steps.map((s) => stringifyNumbers(s.metrics)),
          steps.map((s) => s.recordedAt),
        ],
      );
    }
    const artifacts = input.trials.flatMap(({ trial, artifacts }) =>
      artifacts.map((a) => ({ trialId: idOf.get(trial.number) as number, ...a })),
    );
    if (artifacts.length > 0) {
      await client.query(
        // Ordered as given, so the copies' artifact ids keep the source's order.
        `INSERT INTO artifacts (trial_id, kind, uri, bytes, created_at)
         SELECT a.trial_id, a.kind, a.uri, a.bytes, a.created_at
         FROM unnest($1::int[], $2::text[], $3::text[], $4::bigint[], $5::bigint[]) WITH ORDINALITY AS a(trial_id, kind, uri, bytes, created_at, n)
         ORDER BY a.n`,
        [
          artifacts.map((a) => a.trialId),
          artifacts.map((a) => a.kind),
          artifacts.map((a) => importedUri(a, a.trialId)),
          artifacts.map((a) => a.bytes),
          artifacts.map((a) => a.createdAt),
        ],
      );
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
