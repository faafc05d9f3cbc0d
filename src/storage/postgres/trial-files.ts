import type pg from 'pg';
import { StorageError } from '../../core/errors.js';
import type { StoredFile, StoredFileInfo, TrialFiles } from '../trial-files.js';

/** Bytes per chunk row: see the migration that creates `trial_file_chunks`. */
export const CHUNK_BYTES = 1024 * 1024;

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
      await client.query('BEGIN');
      // The trial's row, held until commit, so a delete of the trial (or its study) waits for the upload or wins.
      const { rowCount } = await client.query('SELECT 1 FROM trials WHERE id = $1 FOR KEY SHARE', [trialId]);
      if (!rowCount) throw new StorageError(`no trial with id ${trialId}`);
      await client.query('DELETE FROM trial_files WHERE trial_id = $1', [trialId]);
      for (const file of files) {
        await client.query(
          `INSERT INTO trial_files (trial_id, name, bytes, sha256, created_at)
           VALUES ($1, $2, $3, $4, (extract(epoch from now()) * 1000)::bigint)`,
          [trialId, file.name, file.bytes, file.sha256],
        );
        for (let at = 0, chunk = 0; at < file.data.byteLength || chunk === 0; at += CHUNK_BYTES, chunk++) {
          await client.query('INSERT INTO trial_file_chunks (trial_id, name, chunk, data) VALUES ($1, $2, $3, $4)', [
            trialId,
            file.name,
            chunk,
            file.data.subarray(at, at + CHUNK_BYTES),
          ]);
        }
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw this.serverError(error);
    } finally {
      client.release(broken);
    }
  }

  async listFiles(trialId: number): Promise<StoredFileInfo[]> {
    const { rows } = await this.query<StoredFileInfo>(
      'SELECT name, bytes, sha256 FROM trial_files WHERE trial_id = $1 ORDER BY name',
      [trialId],
    );
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
