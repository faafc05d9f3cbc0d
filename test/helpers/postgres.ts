import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';

/** The administrator's URL of the test server (started once per run by test/helpers/postgres-global.ts). */
export function postgresAdminUrl(): string {
  return inject('postgresUrl');
}

/** `url` with another database name (and its password kept). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Gives the enclosing file fresh, empty databases on the test server, each its own namespace of studies so that
 * tests never see each other's; they are dropped after the file (which matters on a shared server).
 *
 * @example const database = usePostgresDatabases(); const url = await database();
 */
export function usePostgresDatabases(): () => Promise<string> {
  const created: string[] = [];
  afterAll(async () => {
    for (const name of created) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  return async () => {
    const name = `autotune_test_${randomBytes(6).toString('hex')}`;
    await admin(`CREATE DATABASE ${name}`);
    created.push(name);
    return withDatabase(postgresAdminUrl(), name);
  };
}
