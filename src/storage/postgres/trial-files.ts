import type pg from 'pg';
import { StorageError } from '../../core/errors.js';
import type { StoredFile, StoredFileInfo, TrialFiles } from '../trial-files.js';

/** Bytes per chunk row: see the migration that creates `trial_file_chunks`. */
export const CHUNK_BYTES = 1024 * 1024;

/** Chunk bytes sent in one statement (the driver sends bytea arrays as hex text, twice the size). */
const BATCH_BYTES = 8 * CHUNK_BYTES;

interface Chunk {
  readonly name: string;
  readonly chunk: number;
  readonly data: Buffer;
}

/** The files cut into chunks (an empty file is one empty chunk), grouped into statements of at most BATCH_BYTES. */
function chunkBatches(files: readonly StoredFile[]): Chunk[][] {
  const batches: Chunk[][] = [];
  let batch: Chunk[] = [];
  let bytes = 0;
  for (const file of files) {
    for (let at = 0, chunk = 0; at < file.data.byteLength || chunk === 0; at += CHUNK_BYTES, chunk++) {
      const data = file.data.subarray(at, at + CHUNK_BYTES);
      if (batch.length > 0 && bytes + data.byteLength > BATCH_BYTES) {
        batches.push(batch);
        batch = [];
        bytes = 0;
      }
      batch.push({ name: file.name, chunk, data });
      bytes += data.byteLength;
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * Trial artifact files in PostgreSQL tables `trial_files` and `trial_file_chunks` (schema version 4). A set is
 * written in one transaction on one client, so a crash mid-upload leaves the previous set (or none), never part of
 * one. Parameterized queries: the content is binary.
 */
export class PostgresTrialFiles implements TrialFiles {
  constructor(
    private readonly pool: pg.Pool,
    private readonly serverError: (error: unknown) => unknown,
  ) {}

  async putFiles(trialId: number, files: readonly StoredFile[]): Promise<void> {
    const client = await this.pool.connect().catch((error: unknown) => Promise.reject(this.serverError(error)));
    let broken = false;
    try {
      // A round trip costs milliseconds: the file rows go in one statement, the chunks in a few of up to BATCH_BYTES.
      await client.query('BEGIN');
      await client.query('DELETE FROM trial_files WHERE trial_id = $1', [trialId]);
      if (files.length > 0) {
        // Its foreign key holds the trial's row until commit, so a delete of the trial (or study) waits or wins.
        await client.query(
          `INSERT INTO trial_files (trial_id, name, bytes, sha256, created_at)
           SELECT $1, f.name, f.bytes, f.sha256, (extract(epoch from now()) * 1000)::bigint
           FROM unnest($2::text[], $3::bigint[], $4::text[]) AS f(name, bytes, sha256)`,
          [trialId, files.map((f) => f.name), files.map((f) => f.bytes), files.map((f) => f.sha256)],
        );
      }
      for (const batch of chunkBatches(files)) {
        await client.query(
          `INSERT INTO trial_file_chunks (trial_id, name, chunk, data)
           SELECT $1, c.name, c.chunk, c.data FROM unnest($2::text[], $3::int[], $4::bytea[]) AS c(name, chunk, data)`,
          [trialId, batch.map((c) => c.name), batch.map((c) => c.chunk), batch.map((c) => c.data)],
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      if ((error as { code?: string }).code === '23503') throw new StorageError(`no trial with id ${trialId}`, { cause: error });
      throw this.serverError(error);
    } finally {
      client.release(broken);
    }
  }

  async listFiles(trialId: number): Promise<StoredFileInfo[]> {
    const { rows } = await this.query<StoredFileInfo>('SELECT name, bytes, sha256 FROM trial_files WHERE trial_id = $1 ORDER BY name', [
      trialId,
    ]);
    return rows.map((row) => ({ name: row.name, bytes: Number(row.bytes), sha256: row.sha256 }));
  }

  async readFiles(trialId: number): Promise<StoredFile[]> {
    // One statement, so the files and their chunks come from one snapshot even while a new set is being written.
    const { rows } = await this.query<StoredFileInfo & { chunk: number | null; data: Buffer | null }>(
      `SELECT f.name, f.bytes, f.sha256, c.chunk, c.data FROM trial_files f
       LEFT JOIN trial_file_chunks c ON c.trial_id = f.trial_id AND c.name = f.name
       WHERE f.trial_id = $1 ORDER BY f.name, c.chunk`,
      [trialId],
    );
    const files = new Map<string, { info: StoredFileInfo; chunks: Buffer[] }>();
    for (const row of rows) {
      const file = files.get(row.name) ?? { info: { name: row.name, bytes: Number(row.bytes), sha256: row.sha256 }, chunks: [] };
      if (row.data) file.chunks.push(row.data);
      files.set(row.name, file);
    }
    return [...files.values()].map(({ info, chunks }) => ({ ...info, data: Buffer.concat(chunks) }));
  }

  async deleteFiles(trialId: number): Promise<void> {
    await this.query('DELETE FROM trial_files WHERE trial_id = $1', [trialId]);
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params);
    } catch (error) {
      throw this.serverError(error);
    }
  }
}
