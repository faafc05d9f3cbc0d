// Writes many trials' steps into a PostgreSQL study at once, for benchmarks that need a large study quickly (the
// dashboard's 500,000 steps would take minutes as one recordStep transaction each, most of it commit waits). It
// leaves what recordStep leaves — step rows numbered in the change feed, the trials' step counts and last steps,
// the study's metric names — in one transaction per call. Benchmarks only: it writes the schema's tables directly.
import type pg from 'pg';
import type { Metrics } from '../src/core/types.js';
import { stringifyNumbers } from '../src/storage/sqlite/rows.js';

export interface BulkStep {
  readonly trialId: number;
  readonly step: number;
  readonly metrics: Metrics;
}

const NOW = '(extract(epoch from now()) * 1000)::bigint';

/** Records `steps` (new steps of running trials of `studyId`, no repeats) in one transaction. */
export async function writeStepsInBulk(client: pg.ClientBase, studyId: number, steps: readonly BulkStep[]): Promise<void> {
  if (steps.length === 0) return;
  const names = [...new Set(steps.flatMap((s) => Object.keys(s.metrics)))];
  await client.query('BEGIN');
  try {
    // The counter moves by the number of steps at once; each step takes one of those numbers in the given order,
    // and each trial the number of its last step, as a recordStep of that step would have left it.
    await client.query(
      `WITH c AS (UPDATE study_changes SET seq = seq + $4 WHERE study_id = $5 RETURNING seq),
            r AS (SELECT * FROM unnest($1::int[], $2::int[], $3::text[]) WITH ORDINALITY AS r(trial_id, step, metrics, i)),
            ins AS (INSERT INTO trial_steps (trial_id, step, metrics, recorded_at, study_id, change_seq)
                    SELECT r.trial_id, r.step, r.metrics, ${NOW}, $5, c.seq - $4 + r.i FROM r, c
                    RETURNING trial_id, step, change_seq)
       UPDATE trials t SET step_count = t.step_count + s.n, last_step = s.last, change_seq = s.seq
       FROM (SELECT trial_id, COUNT(*)::int AS n, MAX(step) AS last, MAX(change_seq) AS seq FROM ins GROUP BY trial_id) s
       WHERE t.id = s.trial_id`,
      [steps.map((s) => s.trialId), steps.map((s) => s.step), steps.map((s) => stringifyNumbers(s.metrics)), steps.length, studyId],
    );
    await client.query('INSERT INTO study_metrics (study_id, name) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [studyId, names]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
